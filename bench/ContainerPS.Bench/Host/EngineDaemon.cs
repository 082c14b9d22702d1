using ContainerPS.Bench.Peers;

namespace ContainerPS.Bench.Host;

/// <summary>
/// A containerd of the bench's own, started in the bench's namespace without the cgroup2 tree (where crun works) with
/// its root, state, socket and fifos in the work directory, the CRI plugin off and cgroupfs; stopped, and what its
/// shims leave under /run/containerd and in the cgroup tree removed, when the case ends.
/// </summary>
public sealed class EngineDaemon : IDisposable
{
    public const string Image = "localhost/" + BenchContext.Prefix + "busybox:latest";
    private const string Namespace = BenchContext.Prefix + "engines";
    private readonly PeerRunner _runner;
    private readonly string _dir;

    public EngineDaemon(BenchContext bench, string dir)
    {
        _runner = bench.Crun;
        _dir = Path.Combine(dir, "containerd");
        Directory.CreateDirectory(Path.Combine(_dir, "fifo"));
        File.WriteAllText(Path.Combine(_dir, "config.toml"), $"""
            version = 2
            root = "{_dir}/root"
            state = "{_dir}/state"
            disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
              "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp",
              "io.containerd.internal.v1.tracing"]
            [grpc]
              address = "{Socket}"
            [ttrpc]
              address = "{Socket}.ttrpc"
            [plugins]
              [plugins."io.containerd.internal.v1.opt"]
                path = "{_dir}/opt"
              [plugins."io.containerd.runtime.v1.linux"]
                runtime_root = "{_dir}/runtime-v1-root"
            """);
        _runner.Require(_runner.Exit("sh", "-c", $"cd '{_dir}' && setsid containerd --config '{_dir}/config.toml' > '{_dir}/containerd.log' 2>&1 & echo $! > '{_dir}/containerd.pid'") == 0,
            "containerd did not start");
        for (var i = 0; i < 100 && _runner.Exit("ctr", "--address", Socket, "version") != 0; i++)
        {
            Thread.Sleep(100);
        }
        _runner.Require(_runner.Exit("ctr", "--address", Socket, "version") == 0, $"containerd does not answer on {Socket}: see {_dir}/containerd.log");
    }

    private string Socket => Path.Combine(_dir, "containerd.sock");

    /// <summary>The rootfs as a one-layer image (umoci, then skopeo to a docker-archive), imported once.</summary>
    public void Import(string rootfs)
    {
        var image = UmociImage.Make(_runner, rootfs, _dir);
        var archive = Path.Combine(_dir, "busybox.tar");
        var steps = new[]
        {
            new[] { "umoci", "config", "--image", image["oci:".Length..], "--config.cmd", "/bin/true", "--architecture", "amd64", "--os", "linux" },
            // skopeo's blob cache goes to XDG_DATA_HOME when it takes itself for rootless: kept in the work directory.
            ["env", "_CONTAINERS_ROOTLESS_UID=1", $"XDG_DATA_HOME={_dir}/xdg", "skopeo", "copy", "--quiet", image, $"docker-archive:{archive}:{Image}"],
            ["ctr", "--address", Socket, "--namespace", Namespace, "images", "import", archive],
        };
        foreach (var step in steps)
        {
            _runner.Require(_runner.Exit(step) == 0, $"'{string.Join(' ', step)}' failed");
        }
    }

    /// <summary>`ctr run --rm` of /bin/true with the given runtime binary (each runtime with a --root of its own).</summary>
    public string[] Run(string runtime, string id) =>
    [
        "ctr", "--address", Socket, "--namespace", Namespace, "run", "--rm", "--runtime", "io.containerd.runc.v2", "--runc-binary", runtime,
        "--runc-root", Path.Combine(_dir, "runc-root", Path.GetFileName(runtime)), "--fifo-dir", Path.Combine(_dir, "fifo"),
        "--cgroup", $"/{Namespace}/{id}", Image, id, "/bin/true",
    ];

    public void Dispose()
    {
        // In containerd's mount namespace: its snapshots are mounted there.
        _runner.Exit("sh", "-c", $$"""
            pid=$(cat '{{_dir}}/containerd.pid' 2>/dev/null)
            for c in $(ctr --address '{{Socket}}' --namespace {{Namespace}} container ls -q 2>/dev/null); do ctr --address '{{Socket}}' --namespace {{Namespace}} task kill -s SIGKILL $c; ctr --address '{{Socket}}' --namespace {{Namespace}} container delete $c; done
            [ -n "$pid" ] && kill $pid && while kill -0 $pid 2>/dev/null; do sleep 0.1; done
            awk '{print $5}' /proc/self/mountinfo | grep '^{{_dir}}/' | sort -r | xargs -r -n1 umount -l
            for d in /run/containerd/runc/{{Namespace}} /run/containerd/runc /run/containerd/s /run/containerd/fifo /run/containerd; do rmdir $d 2>/dev/null; done
            for d in /sys/fs/cgroup/*/{{Namespace}}; do find "$d" -depth -type d -exec rmdir {} + 2>/dev/null; done
            true
            """);
    }
}
