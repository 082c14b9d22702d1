using System.Diagnostics;

namespace ContainerPS.Bench.Host;

/// <summary>
/// Times the step crun and runc take per container and per exec: moving another process into a v1 cgroup with one
/// cgroup.procs write. The kernel makes that write wait for an RCU grace period unless cgroup work happened a few
/// milliseconds before, so it costs a lone container start milliseconds and back-to-back ones almost nothing; both
/// are timed. (ContainerPS's processes enter their groups by themselves, which takes no such lock.)
/// </summary>
public sealed class CgroupJoin : IDisposable
{
    public const int QuietMs = 100;
    private const string Hierarchy = "/sys/fs/cgroup/pids";
    private static readonly string Group = Path.Combine(Hierarchy, BenchContext.Prefix + "join");
    private readonly Process _sleeper;
    private readonly string _home;

    public CgroupJoin()
    {
        Directory.CreateDirectory(Group);
        _sleeper = Process.Start(new ProcessStartInfo("sleep", "1000") { RedirectStandardInput = true, RedirectStandardOutput = true })!;
        var line = File.ReadLines($"/proc/{_sleeper.Id}/cgroup").First(l => l.Split(':')[1] == "pids");
        _home = Hierarchy + line[(line.LastIndexOf(':') + 1)..];
    }

    /// <summary>Milliseconds for a move after a quiet pause (what a lone container start pays), and for one right after it.</summary>
    public (double Alone, double BackToBack) Time()
    {
        Thread.Sleep(QuietMs);
        var alone = Move(Group);
        var backToBack = Move(_home);
        return (alone, backToBack);
    }

    private double Move(string group)
    {
        var clock = Stopwatch.StartNew();
        File.WriteAllText(Path.Combine(group, "cgroup.procs"), _sleeper.Id.ToString());
        return clock.Elapsed.TotalMilliseconds;
    }

    public void Dispose()
    {
        _sleeper.Kill();
        _sleeper.WaitForExit();
        _sleeper.Dispose();
        Directory.Delete(Group);
    }
}
