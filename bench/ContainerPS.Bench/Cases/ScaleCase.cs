using System.Diagnostics;
using ContainerPS.Bench.Host;
using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>
/// 500 running `sleep 1000` containers at once: does creating one get slower as the count grows, what does each
/// cost in memory, and do all of them stop and leave nothing behind.
/// </summary>
public sealed class ScaleCase : IBenchCase
{
    private const int Containers = 500, Window = 50, SettleMs = 2000;
    private const string Pattern = BenchContext.Prefix + "scale-*";

    public string Title => $"Scale: {Containers} running containers";

    public string Method =>
        $"{Containers} detached `New-Container -Command sleep,1000 | Start-Container` pipelines, one after another, each timed; then " +
        $"{SettleMs} ms to settle and memory is read: every shim's VmRSS, and the drop in MemAvailable divided by {Containers}. Then " +
        "`Get-Container | Stop-Container -Timeout 0` (sleep as PID 1 ignores SIGTERM, so the default 10 s grace would only wait) and " +
        "`Get-Container | Remove-Container`, each timed for all of them, and a check that no state directory, cgroup or process of " +
        "these containers is left.";

    public void Run(BenchContext bench, CaseResult result)
    {
        var ours = bench.Ours;
        var ids = new List<string>();
        var times = new List<double>();
        try
        {
            var before = ProcFs.MemAvailableMb();
            for (var i = 0; i < Containers; i++)
            {
                var clock = Stopwatch.StartNew();
                var started = ours.Run("param($RootFs, $Name) New-Container -RootFs $RootFs -Name $Name -Command sleep,1000 | Start-Container",
                    ("RootFs", bench.RootFs), ("Name", $"{BenchContext.Prefix}scale-{i}"))[0];
                times.Add(clock.Elapsed.TotalMilliseconds);
                ids.Add((string)started.Properties["Id"].Value);
            }
            Thread.Sleep(SettleMs);
            var perContainer = (before - ProcFs.MemAvailableMb()) / Containers;
            var running = ours.Run("param($Pattern) Get-Container -Name $Pattern -State Running", ("Pattern", Pattern)).Count;
            Require(running == Containers, $"{running} of {Containers} containers are running");

            var first = result.Add($"create + start, containers 1-{Window}", "ms", times.Take(Window));
            var last = result.Add($"create + start, containers {Containers - Window + 1}-{Containers}", "ms", times.TakeLast(Window));
            result.Add($"create + start, all {Containers}", "ms", times);
            var shims = ids.Select(ContainerTraces.ShimPid).ToArray();
            result.Add("shim VmRSS, each container", "MB", shims.Select(pid => ProcFs.RssMb(pid) ?? 0));
            result.Add("shim RssAnon, each container", "MB", shims.Select(pid => ProcFs.RssMb(pid, "RssAnon") ?? 0));
            result.Note($"Last {Window} / first {Window} create times (medians): {CaseResult.Ratio(last.Values!.Median / first.Values!.Median)}.");
            result.Note($"MemAvailable dropped by {perContainer:0.00} MB per container ({Containers} running).");

            var stop = ours.Time("param($Pattern) Get-Container -Name $Pattern | Stop-Container -Timeout 0", ("Pattern", Pattern));
            var stopped = ours.Run("param($Pattern) Get-Container -Name $Pattern -State Stopped", ("Pattern", Pattern)).Count;
            Require(stopped == Containers, $"{stopped} of {Containers} containers stopped");
            var remove = ours.Time("param($Pattern) Get-Container -Name $Pattern | Remove-Container", ("Pattern", Pattern));
            result.Note($"Stopping all {Containers}: {CaseResult.Format(stop, "ms")}; removing all {Containers}: {CaseResult.Format(remove, "ms")}.");
            var left = ContainerTraces.Left(ids);
            Require(left.Count == 0, $"left behind: {string.Join("; ", left.Take(10))}");
            result.Note($"After removal no state directory, cgroup (any hierarchy) or process of the {Containers} containers is left.");
        }
        finally
        {
            ours.Run("param($Pattern) Get-Container -Name $Pattern | Remove-Container -Force", ("Pattern", Pattern));
        }
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }
}
