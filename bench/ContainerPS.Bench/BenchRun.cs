using System.Diagnostics;
using ContainerPS.Bench.Cases;
using ContainerPS.Bench.Host;
using ContainerPS.Bench.Peers;
using ContainerPS.Bench.Report;

namespace ContainerPS.Bench;

/// <summary>
/// The whole run: a clean work directory, the warm session and the peer runners, the shared busybox rootfs, every
/// case in turn (a failed case is reported and the run goes on), the clean-up audit, and bench/results.md.
/// </summary>
public static class BenchRun
{
    private const string WorkDir = "/tmp/cps-bench-work";

    private static IBenchCase[] Cases(string repoRoot) =>
    [
        new StartToExitCase(),
        new SeccompCase(repoRoot),
        new SequentialCase(),
        new ConcurrentCase(),
        new ExecCase(),
        new VethCase(),
        new VethBulkCase(),
        new FootprintCase(),
        new ScaleCase(),
        new UserNamespaceCase(Environment.GetEnvironmentVariable("CPS_BENCH_PSHOME")),
        new ImagePullCase(),
        new EngineRunCase(Path.Combine(repoRoot, "module", "bin", "linux-x64", "containerps-runtime")),
    ];

    /// <param name="only">Run only the cases whose class name contains this, and print their results without
    /// replacing bench/results.md (which holds a whole run); null runs them all.</param>
    public static int Run(string repoRoot, string? only = null)
    {
        var clock = Stopwatch.StartNew();
        var manifest = Path.Combine(repoRoot, "ContainerPS.psd1");
        var machine = MachineInfo.Describe(repoRoot);
        var results = new List<CaseResult>();
        List<string> cleanup;

        Directory.CreateDirectory(WorkDir);
        using (var ours = new PsSession(manifest))
        using (var host = PeerRunner.OnHost(Path.Combine(WorkDir, "runner-host.log")))
        using (var crun = PeerRunner.WithoutCgroup2(Path.Combine(WorkDir, "runner-crun.log")))
        {
            var bench = new BenchContext(manifest, WorkDir, ours, host, crun);
            try
            {
                Leftovers.Sweep(ours, host, crun); // an interrupted earlier run
                Say("==> busybox rootfs (New-ContainerRootFs -Busybox), shared by every tool");
                if (Directory.Exists(bench.RootFs))
                {
                    Directory.Delete(bench.RootFs, recursive: true);
                }
                ours.Run("param($Path) New-ContainerRootFs -Path $Path -Busybox", ("Path", bench.RootFs));
                foreach (var benchCase in Cases(repoRoot).Where(c => only is null || c.GetType().Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
                {
                    results.Add(RunCase(bench, benchCase));
                }
            }
            finally
            {
                try
                {
                    Leftovers.Sweep(ours, host, crun);
                    cleanup = Leftovers.Audit(ours);
                }
                catch (Exception e)
                {
                    cleanup = [$"**Clean-up failed:** {e.Message.ReplaceLineEndings(" ")}"];
                }
            }
        }
        Directory.Delete(WorkDir, recursive: true);
        if (cleanup.Count == 0)
        {
            cleanup.Add("Nothing the bench made is left: no cps-bench-* container (ContainerPS, runc, crun), conmon, cgroup or veth, and the work directory is gone.");
        }

        var path = only is null ? Path.Combine(repoRoot, "bench", "results.md") : Path.Combine(Path.GetTempPath(), $"cps-bench-{only}.md");
        var markdown = ResultsFile.Render(machine, results, cleanup, clock.Elapsed);
        File.WriteAllText(path, markdown);
        Say(markdown);
        Say($"==> {path} ({clock.Elapsed.TotalMinutes:0.0} minutes)");
        return results.Any(r => r.Failure is not null) ? 1 : 0;
    }

    private static CaseResult RunCase(BenchContext bench, IBenchCase benchCase)
    {
        Say($"==> {benchCase.Title}");
        var clock = Stopwatch.StartNew();
        var result = new CaseResult(benchCase.Title, benchCase.Method);
        try
        {
            benchCase.Run(bench, result);
        }
        catch (Exception e)
        {
            result.Failure = e.Message.ReplaceLineEndings(" ");
            Say($"    failed: {result.Failure}");
        }
        Say($"    {clock.Elapsed.TotalSeconds:0.0} s");
        return result;
    }

    private static void Say(string text) => Console.WriteLine(text);
}
