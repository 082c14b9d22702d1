using System.Text.Json;

namespace ContainerPS.Bench.Host;

/// <summary>
/// Where a ContainerPS container shows on the host: its state directory (state.json names the shim), its cgroups
/// below containerps/ in every hierarchy, its processes. Read to find the shim, and after removal to prove none is
/// left. Only the given ids are looked at: other sessions may have containers of their own on this machine.
/// </summary>
public static class ContainerTraces
{
    private const string StateRoot = "/run/containerps";

    public static int ShimPid(string id)
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateRoot, id, "state.json")));
        return state.RootElement.GetProperty("ShimPid").GetInt32();
    }

    /// <summary>Everything still on the host for these ids: state directories, cgroups, processes (shims name their state directory).</summary>
    public static List<string> Left(IReadOnlyCollection<string> ids)
    {
        var left = ids.Select(id => Path.Combine(StateRoot, id)).Where(Directory.Exists).ToList();
        var hierarchies = Directory.GetDirectories("/sys/fs/cgroup").Select(h => Path.Combine(h, "containerps")).Where(Directory.Exists).ToArray();
        left.AddRange(ids.SelectMany(id => hierarchies.Select(h => Path.Combine(h, id))).Where(Directory.Exists));
        var wanted = ids.ToHashSet();
        left.AddRange(ProcFs.Pids().Select(pid => (pid, cmdline: ProcFs.Cmdline(pid)))
            .Where(p => p.cmdline.Contains(StateRoot) && wanted.Any(p.cmdline.Contains))
            .Select(p => $"process {p.pid}: {p.cmdline}"));
        return left;
    }
}
