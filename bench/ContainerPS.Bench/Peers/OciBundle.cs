using System.Text.Json.Nodes;

namespace ContainerPS.Bench.Peers;

/// <summary>
/// An OCI bundle for runc and crun on the shared busybox rootfs: `runc spec`'s default config (namespaces pid, net,
/// ipc, uts, mount; runc's masked paths) with only the command, terminal, root path and read-only flag changed.
/// </summary>
public static class OciBundle
{
    public static string Create(PeerRunner host, string dir, string rootfs, params string[] args)
    {
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "config.json");
        File.Delete(config); // runc spec refuses to overwrite
        host.Require(host.Exit("runc", "spec", "--bundle", dir) == 0, $"runc spec --bundle {dir} failed");
        var spec = JsonNode.Parse(File.ReadAllText(config))!;
        spec["process"]!["args"] = new JsonArray(args.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray());
        spec["process"]!["terminal"] = false;
        spec["root"] = new JsonObject { ["path"] = rootfs, ["readonly"] = false };
        File.WriteAllText(config, spec.ToJsonString());
        return dir;
    }

    /// <summary>The namespace kinds the bundle's config asks for, to check isolation is on before timing.</summary>
    public static string[] Namespaces(string dir) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!["linux"]!["namespaces"]!.AsArray()
            .Select(n => n!["type"]!.GetValue<string>()).ToArray();
}
