using System.Text.Json;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Oci;

namespace ContainerPS.Runtime.Cli;

/// <summary>state, list, ps, spec and features: what a container, the store or this runtime is, as JSON or a table.</summary>
internal static class InfoCommands
{
    public static int State(ContainerStore store, string[] args)
    {
        var parsed = CommandArguments.Parse("state", args, [], []);
        var container = EngineContainers.Find(store, parsed.Id("state"));
        WriteOut(OciState.Of(store, container).ToJson());
        return 0;
    }

    /// <summary>list: every container of --root (an engine's and the module's alike), as runc's table, ids (-q) or JSON.</summary>
    public static int List(ContainerStore store, string[] args)
    {
        var parsed = CommandArguments.Parse("list", args, ["format"], ["quiet"], new() { ["q"] = "quiet", ["f"] = "format" });
        var states = ContainerQuery.All(store).Select(c => OciState.Of(store, c)).ToArray();
        if (parsed.Has("quiet"))
        {
            Console.Out.Write(string.Concat(states.Select(s => s.Id + "\n")));
            return 0;
        }
        switch (parsed.Value("format") ?? "table")
        {
            case "json":
                using (var buffer = new MemoryStream())
                {
                    using (var w = new Utf8JsonWriter(buffer))
                    {
                        w.WriteStartArray();
                        foreach (var state in states)
                        {
                            state.Write(w);
                        }
                        w.WriteEndArray();
                    }
                    WriteOut(buffer.ToArray());
                }
                return 0;
            case "table":
                Table(["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"], states.Select(s => new[]
                {
                    s.Id, (s.Pid ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture), s.Status, s.Bundle,
                    OciState.Timestamp(s.Created), "root",
                }));
                return 0;
            default:
                throw new UsageException($"invalid format option: {parsed.Value("format")} (valid: table, json)");
        }
    }

    /// <summary>ps: the processes of the container's cgroup, as a JSON array of pids (--format json) or a PID/CMD table.</summary>
    public static int Ps(ContainerStore store, string[] args)
    {
        var parsed = CommandArguments.Parse("ps", args, ["format"], [], new() { ["f"] = "format" });
        var container = EngineContainers.Find(store, parsed.Id("ps"));
        if (container.State is ContainerState.Stopped or ContainerState.Damaged)
        {
            throw new Core.Interop.ContainerPSException("ContainerNotRunning", Core.Interop.FailureKind.InvalidOperation, "container not running", container.Name);
        }
        var pids = Cgroup.ForContainer(container.Id, container.CgroupPath).Processes();
        if (parsed.Value("format") == "json")
        {
            Console.Out.Write("[" + string.Join(',', pids) + "]\n");
            return 0;
        }
        Table(["PID", "CMD"], pids.Select(pid => new[] { pid.ToString(System.Globalization.CultureInfo.InvariantCulture), CommandLine(pid) }));
        return 0;
    }

    /// <summary>spec: a default config.json in the bundle directory (the current one unless --bundle), never over one that is there.</summary>
    public static int Spec(string[] args)
    {
        var parsed = CommandArguments.Parse("spec", args, ["bundle"], ["rootless"], new() { ["b"] = "bundle" });
        if (parsed.Has("rootless"))
        {
            throw new UsageException("--rootless is not supported by spec yet: write the user namespace and its mappings into config.json by hand");
        }
        var path = Path.Combine(parsed.Value("bundle") ?? ".", "config.json");
        if (File.Exists(path))
        {
            throw new UsageException("File config.json exists. Remove it first.");
        }
        File.WriteAllBytes(path, OciDefaultConfig.Json());
        return 0;
    }

    public static int Features(string[] args)
    {
        CommandArguments.Parse("features", args, [], []);
        WriteOut(OciFeatures.Json());
        return 0;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Columns as runc lays out its tables: each as wide as its widest cell and a space, at least 12.</summary>
    private static void Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToArray();
        var widths = header.Select((_, i) => Math.Max(12, all.Max(r => r[i].Length) + 1)).ToArray();
        var text = new System.Text.StringBuilder();
        foreach (var row in all)
        {
            text.Append(string.Concat(row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i])))).Append('\n');
        }
        Console.Out.Write(text.ToString());
    }

    private static void WriteOut(byte[] json)
    {
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(json);
        stdout.Write("\n"u8);
    }
}
