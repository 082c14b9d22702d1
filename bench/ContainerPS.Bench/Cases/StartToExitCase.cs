using ContainerPS.Bench.Host;
using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>
/// Start-to-exit of /bin/true: one `New-Container | Start-Container -Attach` pipeline per container against
/// `crun run`, `runc run` and `unshare -fpmuin chroot`; our phases are timed apart to show where the time goes.
/// </summary>
public sealed class StartToExitCase : IBenchCase
{
    private const int Warmup = 5, Count = 50;
    private const string Pipeline = "param($RootFs, $Name) New-Container -RootFs $RootFs -Name $Name -Command /bin/true | Start-Container -Attach";
    private const string Create = "param($RootFs, $Name) New-Container -RootFs $RootFs -Name $Name -Command /bin/true";
    private const string Start = "param($Name) Start-Container $Name -Attach";
    private const string Remove = "param($Name) Remove-Container $Name";

    public string Title => "Start-to-exit of /bin/true";

    public string Method =>
        $"{Count} containers per tool after {Warmup} warm-up rounds. ContainerPS: `New-Container -Command /bin/true | Start-Container -Attach`, " +
        "then `Remove-Container` outside the timed region; `crun run` and `runc run` also delete the container, so ContainerPS is " +
        "shown with the removal too. The phase rows time `New-Container`, `Start-Container -Attach` and `Remove-Container` as " +
        "separate pipelines. The floor rows: a process start, which any runtime pays, and the kernel's cost of moving another " +
        "process into a cgroup v1 group (a pid written to cgroup.procs), which crun and runc pay per container (a lone start the " +
        "first number, starts in quick succession mostly the second); ContainerPS's process enters its groups by itself, which " +
        "takes no global lock and so does not wait. Checked first: every tool's command runs as PID 1 of new " +
        "pid, net, mnt, uts and ipc namespaces (exit 0).";

    public void Run(BenchContext bench, CaseResult result)
    {
        Verify(bench);
        using var join = new CgroupJoin();
        var r = new Recorder();
        var ours = bench.Ours;
        r.Rounds(Warmup, Count,
            i =>
            {
                var name = $"{BenchContext.Prefix}s2e-{i}";
                ours.LastExitCode = null;
                var run = r.Add("pipeline", ours.Time(Pipeline, ("RootFs", bench.RootFs), ("Name", name)));
                ours.RequireExitZero(name);
                r.Add("with removal", run + r.Add("remove", ours.Time(Remove, ("Name", name))));
            },
            i => r.Add("crun", bench.Crun.Time("crun", "run", "-b", bench.Bundle("true", "/bin/true"), $"{BenchContext.Prefix}crun-s2e-{i}")),
            i => r.Add("runc", bench.Host.Time("runc", "run", "-b", bench.Bundle("true", "/bin/true"), $"{BenchContext.Prefix}runc-s2e-{i}")),
            i => r.Add("unshare", bench.Host.Time("unshare", "-fpmuin", "chroot", bench.RootFs, "/bin/true")),
            i =>
            {
                var name = $"{BenchContext.Prefix}phase-{i}";
                r.Add("new", ours.Time(Create, ("RootFs", bench.RootFs), ("Name", name)));
                ours.LastExitCode = null;
                r.Add("start", ours.Time(Start, ("Name", name)));
                ours.RequireExitZero(name);
                ours.Run(Remove, ("Name", name));
            },
            _ => r.Add("empty", ours.Time("$null")),
            _ => r.Add("true", bench.Host.Time("/bin/true")),
            _ =>
            {
                var (alone, backToBack) = join.Time();
                r.Add("join alone", alone);
                r.Add("join back to back", backToBack);
            });

        var pipeline = result.Add("ContainerPS `New-Container | Start-Container -Attach`", "ms", r["pipeline"]);
        var withRemoval = result.Add("ContainerPS, with `Remove-Container`", "ms", r["with removal"]);
        var crun = result.Peer("crun run", "ms", r["crun"], pipeline, withRemoval);
        result.Peer("runc run", "ms", r["runc"], pipeline, withRemoval);
        result.Peer("unshare -fpmuin chroot", "ms", r["unshare"], pipeline);
        result.Add("phase: `New-Container` alone", "ms", r["new"]);
        result.Add("phase: `Start-Container -Attach` alone", "ms", r["start"]);
        result.Add("phase: `Remove-Container`", "ms", r["remove"]);
        result.Add("floor: an empty pipeline in the session", "ms", r["empty"]);
        result.Add("floor: the runner starting host /bin/true", "ms", r["true"]);
        result.Add($"floor: moving a process into a v1 cgroup, {CgroupJoin.QuietMs} ms after any cgroup work (crun and runc do it)", "ms", r["join alone"]);
        result.Add("floor: the same move right after another", "ms", r["join back to back"]);
        result.Target("start-to-exit <= 0.5x crun, from a warm session", pipeline, crun, 0.5);
    }

    /// <summary>The probe exits 0 only when isolated; every tool must pass it with the namespaces it uses when timed.</summary>
    private static void Verify(BenchContext bench)
    {
        var probe = NamespaceProbe.Isolated();
        var name = BenchContext.Prefix + "s2e-probe";
        bench.Ours.LastExitCode = null;
        bench.Ours.Run("param($RootFs, $Name, $Command) New-Container -RootFs $RootFs -Name $Name -Command $Command | Start-Container -Attach",
            ("RootFs", bench.RootFs), ("Name", name), ("Command", probe));
        bench.Ours.RequireExitZero(name);
        bench.Ours.Run(Remove, ("Name", name));
        var bundle = bench.Bundle("probe", probe);
        bench.Crun.Require(bench.Crun.Exit("crun", "run", "-b", bundle, name) == 0, "crun run: the namespace probe failed");
        bench.Host.Require(bench.Host.Exit("runc", "run", "-b", bundle, name) == 0, "runc run: the namespace probe failed");
        // chroot into a rootfs whose /proc is empty: --mount-proc lets the probe read its namespaces (timed runs skip it).
        bench.Host.Require(bench.Host.Exit(["unshare", "-fpmuin", $"--mount-proc={bench.RootFs}/proc", "chroot", bench.RootFs, .. probe]) == 0,
            "unshare -fpmuin chroot: the namespace probe failed");
    }
}
