using ContainerPS.Bench.Peers;

namespace ContainerPS.Bench;

/// <summary>
/// What every case works with: our warm session, the two peer runners, the shared busybox rootfs and the OCI
/// bundles made from it, all under one work directory that the bench removes at the end.
/// </summary>
public sealed class BenchContext(string manifest, string workDir, PsSession ours, PeerRunner host, PeerRunner crunNamespace)
{
    /// <summary>Every name the bench gives (containers, runc/crun ids, bundle dirs) starts with this; veths start with "cps-b".</summary>
    public const string Prefix = "cps-bench-";

    public string Manifest { get; } = manifest;
    public string WorkDir { get; } = workDir;
    public string RootFs => Path.Combine(WorkDir, "rootfs");
    public PsSession Ours { get; } = ours;
    public PeerRunner Host { get; } = host;
    public PeerRunner Crun { get; } = crunNamespace;

    /// <summary>A bundle per command line, made once and shared by runc and crun.</summary>
    public string Bundle(string name, params string[] args)
    {
        var dir = Path.Combine(WorkDir, "bundle-" + name);
        return File.Exists(Path.Combine(dir, "config.json")) ? dir : OciBundle.Create(Host, dir, RootFs, args);
    }
}
