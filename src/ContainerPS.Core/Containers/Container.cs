using ContainerPS.Core.Namespaces;

namespace ContainerPS.Core.Containers;

/// <summary>
/// A container as the user sees it: what it is (spec) and where it stands now (state). Plain data, so it
/// survives CliXml (remoting, jobs) and re-binds by Id and Name on the other side.
/// </summary>
public sealed class Container
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public ContainerState State { get; init; }
    public int? Pid { get; init; }
    public required string[] Command { get; init; }
    public required string RootFs { get; init; }

    /// <summary>The image its root was made from (the name it was asked for by), or null for a -RootFs directory.</summary>
    public string? Image { get; init; }

    /// <summary>The id of that image ("sha256:HEX"), which stays right when the name moves to another image.</summary>
    public string? ImageId { get; init; }
    public string? Hostname { get; init; }
    public NamespaceKind Namespaces { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public int? ExitCode { get; init; }
    public int? ExitSignal { get; init; }
    public bool OomKilled { get; init; }

    /// <summary>
    /// Its process lives but its shim is gone (killed): nobody relays its output to the log or records its end until
    /// Stop-Container or Remove-Container does (see <see cref="OrphanExit"/>).
    /// </summary>
    public bool Orphaned { get; init; }

    /// <summary>Its user namespace's uid and gid maps as CONTAINER:HOST:COUNT (-UidMap, -GidMap); empty when root inside is host root.</summary>
    public string[] UidMap { get; init; } = [];

    public string[] GidMap { get; init; } = [];

    /// <summary>Its cgroup, relative to each hierarchy's root: containerps/ID, or the path the OCI engine that made it chose.</summary>
    public string? CgroupPath { get; init; }

    /// <summary>The OCI bundle it was made from by an engine (through containerps-runtime), or null.</summary>
    public string? Bundle { get; init; }

    /// <summary>
    /// The state store it was read from: /run/containerps, or the --root an engine gave containerps-runtime
    /// (containerd's /run/containerd/runc/NAMESPACE). Cmdlets it is piped to bind it to -Root, so they find it there.
    /// </summary>
    public string? Root { get; init; }

    public string ShortId => Id[..12];

    public override string ToString() => Name;
}
