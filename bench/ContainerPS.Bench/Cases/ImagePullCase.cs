using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ContainerPS.Bench.Host;
using ContainerPS.Bench.Peers;
using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>
/// Pull and first start of an image from a registry on 127.0.0.1 (Debian's docker-registry, started for the case): a
/// one-layer busybox image made by umoci from the bench's rootfs and pushed by skopeo. Each round starts with an
/// empty store on both sides, so every pull downloads, checks and unpacks the layer.
/// </summary>
public sealed class ImagePullCase : IBenchCase
{
    private const int Warmup = 2, Count = 10;
    private const string Pull = "param($Reference) Import-ContainerImage -Reference $Reference | Out-Null";
    private const string PullAndRun = "param($Reference, $Name) Import-ContainerImage -Reference $Reference | New-Container -Name $Name -Command /bin/true | Start-Container -Attach";
    private const string Clean = "param($Name) Remove-Container $Name; Get-ContainerImage | Remove-ContainerImage";

    public string Title => "Pull and first start of an image from a local registry";

    public string Method =>
        $"{Count} rounds per tool after {Warmup} warm-up rounds, interleaved, each from an empty image store (the image removed " +
        "after each round, outside the timed region). The image: the bench's busybox rootfs as one gzip'd layer (umoci), pushed " +
        "by skopeo to docker-registry on 127.0.0.1 over HTTP. ContainerPS in its warm session: `Import-ContainerImage -Reference " +
        "R | New-Container -Command /bin/true | Start-Container -Attach`, and `Import-ContainerImage -Reference R` alone; " +
        "against `podman pull R` then `podman run --rm --network none R /bin/true` (runc, cgroupfs, `--ulimit nofile=1024:1024 --ulimit nproc=1024:1024` as this host needs, its own storage root; " +
        "the two timed together, each a process started by the runner), and `skopeo copy docker://R oci:DIR` (a pull " +
        "into an OCI layout, without unpacking). Both sides download, check the digests and unpack the layer.";

    public void Run(BenchContext bench, CaseResult result)
    {
        foreach (var tool in new[] { "docker-registry", "skopeo", "umoci", "podman" })
        {
            bench.Host.Require(bench.Host.Exit("sh", "-c", $"command -v {tool}") == 0, $"{tool} is not installed");
        }
        // skopeo as root keeps a blob cache there whatever it is told: its pushes, pulls and copies fill it; removed after the case unless it was there before.
        const string SkopeoCache = "/var/lib/containers/cache";
        var cacheBefore = Directory.Exists(SkopeoCache);
        var dir = Path.Combine(bench.WorkDir, "pull");
        Directory.CreateDirectory(dir);
        var port = FreePort();
        using var registry = StartRegistry(dir, port);
        var reference = $"127.0.0.1:{port}/{BenchContext.Prefix}pull/busybox:1";
        Push(bench, dir, reference);

        var storage = Path.Combine(dir, "podman-storage");
        var runroot = Path.Combine(dir, "podman-run");
        string[] Podman(params string[] command) =>
            ["podman", "--root", storage, "--runroot", runroot, "--runtime", "/usr/sbin/runc", "--cgroup-manager", "cgroupfs", "--events-backend", "none", .. command];
        var ours = bench.Ours;
        ours.Run("param($Root) [Environment]::SetEnvironmentVariable('CONTAINERPS_IMAGE_ROOT', $Root)", ("Root", Path.Combine(dir, "containerps-store")));
        try
        {
            var r = new Recorder();
            r.Rounds(Warmup, Count,
                i =>
                {
                    var name = $"{BenchContext.Prefix}pull-{i}";
                    ours.LastExitCode = null;
                    r.Add("pull and run", ours.Time(PullAndRun, ("Reference", reference), ("Name", name)));
                    ours.RequireExitZero(name);
                    ours.Run(Clean, ("Name", name));
                    r.Add("pull", ours.Time(Pull, ("Reference", reference)));
                    ours.Run("Get-ContainerImage | Remove-ContainerImage");
                },
                i =>
                {
                    var pulled = bench.Host.Batch([Podman("pull", "--quiet", "--tls-verify=false", reference)]);
                    bench.Host.Require(pulled.ExitCodes[0] == 0, "podman pull failed");
                    var ran = bench.Host.Time(Podman("run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--name", $"{BenchContext.Prefix}podman-pull-{i}", reference, "/bin/true"));
                    r.Add("podman", pulled.WallMs + ran);
                    bench.Host.Require(bench.Host.Exit(Podman("rmi", "--force", reference)) == 0, "podman rmi failed");
                },
                i =>
                {
                    var layout = Path.Combine(dir, $"skopeo-{i}");
                    r.Add("skopeo", bench.Host.Time("skopeo", "copy", "--quiet", "--src-tls-verify=false", $"docker://{reference}", $"oci:{layout}:1"));
                    Directory.Delete(layout, recursive: true);
                });

            var pullAndRun = result.Add("ContainerPS `Import-ContainerImage -Reference | New-Container | Start-Container -Attach`", "ms", r["pull and run"]);
            var podman = result.Peer("podman pull + podman run --rm", "ms", r["podman"], pullAndRun);
            var pull = result.Add("ContainerPS `Import-ContainerImage -Reference` alone", "ms", r["pull"]);
            result.Peer("skopeo copy docker:// oci: (no unpacking)", "ms", r["skopeo"], pull);
            result.Target("pull + first start no slower than podman pull + podman run", pullAndRun, podman, 1.0);
        }
        finally
        {
            // podman's storage holds overlay mounts under the work directory, which the bench removes at the end; its
            // cgroupfs manager leaves empty libpod_parent groups (../shared/PEERS.md), removed here while empty.
            bench.Host.Exit(Podman("system", "reset", "--force"));
            bench.Host.Exit("sh", "-c", "for d in /sys/fs/cgroup/*/libpod_parent; do find \"$d\" -depth -type d -exec rmdir {} + 2>/dev/null; done; true");
            ours.Run("Get-Container | Where-Object Name -like 'cps-bench-pull-*' | Remove-Container -Force; Get-ContainerImage | Remove-ContainerImage -Force; [Environment]::SetEnvironmentVariable('CONTAINERPS_IMAGE_ROOT', $null)");
            if (!cacheBefore)
            {
                bench.Host.Exit("sh", "-c", $"rm -rf {SkopeoCache}; rmdir /var/lib/containers 2>/dev/null; true");
            }
        }
    }

    private static void Push(BenchContext bench, string dir, string reference)
    {
        var image = UmociImage.Make(bench.Host, bench.RootFs, dir);
        bench.Host.Require(bench.Host.Exit("skopeo", "copy", "--quiet", "--dest-tls-verify=false", image, $"docker://{reference}") == 0, "skopeo copy to the registry failed");
    }

    private static RunningRegistry StartRegistry(string dir, int port)
    {
        var config = Path.Combine(dir, "registry.yml");
        File.WriteAllText(config, $"version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {Path.Combine(dir, "registry")}\nhttp:\n  addr: 127.0.0.1:{port}\n");
        var start = new ProcessStartInfo("docker-registry", ["serve", config]) { RedirectStandardError = true, RedirectStandardOutput = true };
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return new RunningRegistry(process);
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        process.Kill();
        throw new InvalidOperationException($"docker-registry did not listen on 127.0.0.1:{port}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The registry ends with the case, whatever way the case ends.</summary>
    private sealed class RunningRegistry(Process process) : IDisposable
    {
        public void Dispose()
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
    }
}
