using ContainerPS.Bench.Host;
using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>
/// The engines' own start-to-exit with each OCI runtime under them: `ctr run --rm` (containerd 1.6 and its runc v2
/// shim) and `podman run --rm` (podman 4.3 and conmon), each pointed at containerps-runtime, runc and crun in turn.
/// The engine's work is the same in every row; what differs is the runtime's create, start, state and delete calls.
/// </summary>
public sealed class EngineRunCase(string runtime) : IBenchCase
{
    private const int Warmup = 2, Count = 15;

    public string Title => "Engines: ctr run --rm and podman run --rm with each OCI runtime";

    public string Method =>
        $"{Count} runs of /bin/true per engine and runtime after {Warmup} warm-up rounds, interleaved. Everything (containerd, " +
        "ctr, podman) runs in the bench's mount namespace without the cgroup2 tree, where crun 1.8 works on this hybrid host, " +
        "so the three runtimes see the same host. containerd: started once for the case with its root, state and socket in the " +
        "work directory (CRI off, cgroupfs), the busybox image imported once (ahead, not timed); each run `ctr run --rm " +
        "--runtime io.containerd.runc.v2 --runc-binary RUNTIME IMAGE ID /bin/true`, which starts a shim and calls the runtime's " +
        "create, start and delete. podman: its own storage and run root in the work directory, `podman run --rm --runtime RUNTIME " +
        "--cgroup-manager cgroupfs --network none --rootfs ROOTFS /bin/true` (conmon calls create, podman start and delete); " +
        "`--ulimit nofile=1024:1024 --ulimit nproc=1024:1024` as this host needs. Each row is the whole engine command.";

    public void Run(BenchContext bench, CaseResult result)
    {
        foreach (var tool in new[] { "containerd", "ctr", "podman", "conmon", "umoci", "skopeo", "crun", "runc" })
        {
            bench.Host.Require(bench.Host.Exit("sh", "-c", $"command -v {tool}") == 0, $"{tool} is not installed");
        }
        var dir = Path.Combine(bench.WorkDir, "engines");
        Directory.CreateDirectory(dir);
        var runtimes = new (string Name, string Path)[] { ("containerps-runtime", runtime), ("runc", "/usr/sbin/runc"), ("crun", "/usr/bin/crun") };
        using var containerd = new EngineDaemon(bench, dir);
        containerd.Import(bench.RootFs);
        var podmanRoot = Path.Combine(dir, "podman");
        string[] Podman(string runtimePath, params string[] command) =>
            ["podman", "--root", Path.Combine(podmanRoot, "storage"), "--runroot", Path.Combine(podmanRoot, "run"), "--tmpdir", Path.Combine(podmanRoot, "tmp"),
             "--runtime", runtimePath, "--cgroup-manager", "cgroupfs", "--events-backend", "none", .. command];
        try
        {
            foreach (var (name, path) in runtimes)
            {
                bench.Crun.Require(bench.Crun.Exit(containerd.Run(path, $"{BenchContext.Prefix}ctr-check")) == 0, $"ctr run with {name} failed");
                bench.Crun.Require(bench.Crun.Exit(Podman(path, PodmanRun(bench.RootFs))) == 0, $"podman run with {name} failed");
            }
            var r = new Recorder();
            r.Rounds(Warmup, Count, runtimes.SelectMany(rt => new Action<int>[]
            {
                i => r.Add("ctr " + rt.Name, bench.Crun.Time(containerd.Run(rt.Path, $"{BenchContext.Prefix}ctr-{rt.Name[..4]}-{i}"))),
                i => r.Add("podman " + rt.Name, bench.Crun.Time(Podman(rt.Path, PodmanRun(bench.RootFs)))),
            }).ToArray());
            var ctrOurs = result.Add("`ctr run --rm` with containerps-runtime", "ms", r["ctr containerps-runtime"]);
            var ctrRunc = result.Peer("`ctr run --rm` with runc", "ms", r["ctr runc"], ctrOurs);
            result.Peer("`ctr run --rm` with crun", "ms", r["ctr crun"], ctrOurs);
            var podmanOurs = result.Add("`podman run --rm` with containerps-runtime", "ms", r["podman containerps-runtime"]);
            var podmanRunc = result.Peer("`podman run --rm` with runc", "ms", r["podman runc"], podmanOurs);
            result.Peer("`podman run --rm` with crun", "ms", r["podman crun"], podmanOurs);
            result.Target("ctr run --rm no slower than with runc", ctrOurs, ctrRunc, 1.0);
            result.Target("podman run --rm no slower than with runc", podmanOurs, podmanRunc, 1.0);
            result.Note("The engine's work is the same in every row of an engine: the differences are the runtime's create, start and delete, each a process the engine starts.");
        }
        finally
        {
            bench.Crun.Exit(Podman("/usr/sbin/runc", "system", "reset", "--force"));
            bench.Host.Exit("sh", "-c", "for d in /sys/fs/cgroup/*/libpod_parent /sys/fs/cgroup/*/" + BenchContext.Prefix + "engines; do find \"$d\" -depth -type d -exec rmdir {} + 2>/dev/null; done; true");
        }
    }

    private static string[] PodmanRun(string rootfs) =>
        ["run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--rootfs", rootfs, "/bin/true"];
}
