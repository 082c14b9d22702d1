using System.Text.Json.Nodes;

namespace ContainerPS.Bench.Peers;

/// <summary>
/// Docker's default profile as ContainerPS carries it, turned into the OCI runtime spec's linux.seccomp for crun: the
/// OCI form has no includes/excludes, so (as Docker does before it hands a spec to a runtime) the rules are kept or
/// dropped for the bundle's capabilities on x86-64, and archMap becomes architectures.
/// </summary>
public static class OciSeccomp
{
    public static void AddDefaultProfile(string bundleDir, string repoRoot)
    {
        var configPath = Path.Combine(bundleDir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        var caps = config["process"]!["capabilities"]!["bounding"]!.AsArray().Select(c => c!.GetValue<string>()).ToHashSet();
        var docker = JsonNode.Parse(File.ReadAllText(Path.Combine(repoRoot, "src", "ContainerPS.Core", "Security", "Seccomp", "DefaultProfile.json")))!;
        var rules = new JsonArray();
        foreach (var rule in docker["syscalls"]!.AsArray())
        {
            if (!Applies(rule!["includes"], caps, include: true) || Applies(rule["excludes"], caps, include: false))
            {
                continue;
            }
            var oci = new JsonObject { ["names"] = rule["names"]!.DeepClone(), ["action"] = rule["action"]!.DeepClone() };
            foreach (var key in new[] { "errnoRet", "args" })
            {
                if (rule[key] is { } value)
                {
                    oci[key] = value.DeepClone();
                }
            }
            rules.Add(oci);
        }
        var architectures = new JsonArray();
        foreach (var map in docker["archMap"]!.AsArray())
        {
            architectures.Add(map!["architecture"]!.DeepClone());
            foreach (var sub in map["subArchitectures"]!.AsArray())
            {
                architectures.Add(sub!.DeepClone());
            }
        }
        config["linux"]!["seccomp"] = new JsonObject
        {
            ["defaultAction"] = docker["defaultAction"]!.DeepClone(),
            ["defaultErrnoRet"] = docker["defaultErrnoRet"]!.DeepClone(),
            ["architectures"] = architectures,
            ["syscalls"] = rules,
        };
        config["process"]!["noNewPrivileges"] = true;
        File.WriteAllText(configPath, config.ToJsonString());
    }

    /// <summary>includes: every condition holds; excludes: any condition holds (minKernel is met on any kernel the bench runs).</summary>
    private static bool Applies(JsonNode? condition, HashSet<string> caps, bool include)
    {
        if (condition is null)
        {
            return include;
        }
        var named = condition["caps"]?.AsArray().Select(c => c!.GetValue<string>()).ToArray() ?? [];
        var arches = condition["arches"]?.AsArray().Select(a => a!.GetValue<string>()).ToArray() ?? [];
        var native = arches.Contains("amd64");
        return include
            ? named.All(caps.Contains) && (arches.Length == 0 || native)
            : named.Any(caps.Contains) || native;
    }
}
