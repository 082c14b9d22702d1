using System.Text.RegularExpressions;
using ContainerPS.Bench.Peers;

namespace ContainerPS.Bench.Host;

/// <summary>
/// Removes whatever the bench made that is still on the host (also what an interrupted earlier run left), by the
/// names it gives: ContainerPS containers and runc/crun containers named cps-bench-*, the conmon monitors of
/// those, veths named cps-bp/bq/bx/by&lt;n&gt; and cps-b[pik][ab]&lt;n&gt; (the bulk case), and runc's and crun's state
/// roots once empty. Then audits the same places and reports what could not be removed.
/// </summary>
public static class Leftovers
{
    private static readonly Regex VethName = new("^cps-b([pqxy]|[pik][ab])[0-9]+$");
    private static readonly string[] StateRoots = ["/run/runc", "/run/crun"];

    public static void Sweep(PsSession ours, PeerRunner host, PeerRunner crunNamespace)
    {
        ours.Run("param($Pattern) Get-Container -Name $Pattern | Remove-Container -Force", ("Pattern", BenchContext.Prefix + "*"));
        foreach (var id in Ids("/run/runc"))
        {
            host.Exit("runc", "delete", "-f", id);
        }
        foreach (var id in Ids("/run/crun"))
        {
            crunNamespace.Exit("crun", "delete", "-f", id);
        }
        // runc and crun make their state roots on first use and leave them, empty, after the last delete: an empty
        // one goes too (either makes it again when next run), so a host that had none is left with none.
        foreach (var stateRoot in StateRoots.Where(r => Directory.Exists(r) && !Directory.EnumerateFileSystemEntries(r).Any()))
        {
            Directory.Delete(stateRoot);
        }
        // A conmon whose container is gone exits by itself; one that lingers is ours by its container's name.
        foreach (var pid in Conmons())
        {
            host.Exit("kill", pid.ToString());
        }
        foreach (var link in Veths())
        {
            host.Exit("ip", "link", "del", link);
        }
    }

    /// <summary>What is still there after the sweep, one line per kind; empty when the host is clean.</summary>
    public static List<string> Audit(PsSession ours)
    {
        var left = new List<string>();
        void Check(string what, IEnumerable<string> found)
        {
            var list = found.ToList();
            if (list.Count > 0)
            {
                left.Add($"{what}: {string.Join(", ", list)}");
            }
        }
        Check("ContainerPS containers", ours.Run("param($Pattern) Get-Container -Name $Pattern | ForEach-Object Name", ("Pattern", BenchContext.Prefix + "*")).Select(o => o.ToString()));
        Check("runc containers", Ids("/run/runc"));
        Check("crun containers", Ids("/run/crun"));
        Check("conmon processes", Conmons().Select(p => p.ToString()));
        Check("veths", Veths());
        Check("cgroups", Directory.GetDirectories("/sys/fs/cgroup")
            .SelectMany(h => Directory.EnumerateDirectories(h, BenchContext.Prefix + "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4 })));
        return left;
    }

    private static IEnumerable<string> Ids(string stateRoot) =>
        Directory.Exists(stateRoot) ? Directory.GetDirectories(stateRoot, BenchContext.Prefix + "*").Select(d => Path.GetFileName(d)) : [];

    private static IEnumerable<int> Conmons() =>
        ProcFs.Pids().Where(p => ProcFs.Cmdline(p) is var c && c.StartsWith("conmon ", StringComparison.Ordinal) && c.Contains("--cid " + BenchContext.Prefix)).ToList();

    private static IEnumerable<string> Veths() =>
        Directory.GetFileSystemEntries("/sys/class/net").Select(d => Path.GetFileName(d)).Where(n => VethName.IsMatch(n)).ToList();
}
