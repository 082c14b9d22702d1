using ContainerPS.Core.Namespaces;

namespace ContainerPS.Core.Containers;

/// <summary>What the user asked for, fixed at create time and read by the shim (spec.json).</summary>
public sealed record ContainerSpec
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string RootFs { get; init; }
    public required string[] Command { get; init; }
    public string[] Environment { get; init; } = [];
    public string WorkingDirectory { get; init; } = "/";
    public string? Hostname { get; init; }
    public NamespaceKind Namespaces { get; init; } = NamespaceKinds.ContainerDefault;

    /// <summary>Existing namespaces the container joins instead of creating (a pod's shared net namespace).</summary>
    public NamespaceJoin[] JoinNamespaces { get; init; } = [];
    public MountSpec[] Mounts { get; init; } = [];

    /// <summary>
    /// Files the runtime writes in the state directory and puts at /etc/NAME (a container network's hosts and
    /// resolv.conf), without changing the rootfs: see <see cref="Rootfs.ContainerSetup"/>.
    /// </summary>
    public MountSpec[] EtcFiles { get; init; } = [];
    public bool ReadOnlyRootFs { get; init; }

    /// <summary>Keep every capability (mount inside, as seed 000 does), instead of the default set.</summary>
    public bool Privileged { get; init; }
    public DateTime CreatedAt { get; init; }

    /// <summary>
    /// The seccomp profile its processes run under: null for Docker's default, <see cref="SeccompUnconfined"/> for
    /// none, else the JSON of the profile given at create, kept here so an exec gets the filter the first process got
    /// even if the file has changed since. -Privileged runs without one whatever this says, as Docker does.
    /// </summary>
    public string? SeccompProfile { get; init; }

    public const string SeccompUnconfined = "unconfined";

    /// <summary>Host devices made in the container's /dev and allowed by its device cgroup, beside the default ones.</summary>
    public DeviceSpec[] Devices { get; init; } = [];

    /// <summary>
    /// The capabilities its processes keep, as "CAP_CHOWN" (bounding set; root's effective and permitted sets after
    /// execve); ignored when <see cref="Privileged"/>. A spec written before this member keeps docker's default set.
    /// </summary>
    public string[] Capabilities { get; init; } = Security.CapabilityNames.Of(Security.Capabilities.ContainerDefaultMask);

    /// <summary>The capabilities to keep as a bounding-set mask, or null to keep every one (-Privileged).</summary>
    public ulong? CapabilityMask => Privileged ? null : ContainerCapabilities.Mask(Capabilities);

    /// <summary>Who its first process and its execs run as, unless an exec names another; null is root.</summary>
    public Security.ProcessUser? User { get; init; }

    /// <summary>
    /// -UidMap/-GidMap: its user namespace's maps, root inside being an unprivileged host id, and its rootfs id-mapped
    /// to match; empty for the identity map of -Namespace User, or no user namespace.
    /// </summary>
    public Security.IdMapping[] UidMap { get; init; } = [];

    public Security.IdMapping[] GidMap { get; init; } = [];

    /// <summary>Descriptors of the creating process its first process gets at the same numbers (-PreserveFd).</summary>
    public int[] PreserveFds { get; init; } = [];

    /// <summary>The image its root is made from (its id, "sha256:HEX"), as an overlayfs mounted at <see cref="RootFs"/>; null for a -RootFs directory.</summary>
    public string? Image { get; init; }

    /// <summary>The name the image was asked for by (or its short id), as the container lists it.</summary>
    public string? ImageName { get; init; }

    /// <summary>The diff_ids of the image's layers its root stacks, bottom first: kept in the store while this container is.</summary>
    public string[] ImageLayers { get; init; } = [];

    /// <summary>
    /// The group its processes run in, relative to each hierarchy's root, when an OCI engine chose it (config.json's
    /// cgroupsPath: containerd's default/ID); null is containerps/ID.
    /// </summary>
    public string? CgroupPath { get; init; }

    /// <summary>The OCI bundle it was made from (containerps-runtime create --bundle), whose config.json is kept beside the state; null for New-Container.</summary>
    public string? Bundle { get; init; }

    /// <summary>-Network slirp4netns: the ports published through it ("8080:80/tcp"), none or more; null without it.</summary>
    public string[]? Slirp4netns { get; init; }
}

/// <summary>An existing namespace to join, by a path that opens it (/proc/PID/ns/KIND or a persistent bind mount).</summary>
public sealed class NamespaceJoin
{
    public required NamespaceKind Kind { get; init; }
    public required string Path { get; init; }
}

/// <summary>A bind mount from the host into the container.</summary>
public sealed class MountSpec
{
    public required string Source { get; init; }
    public required string Destination { get; init; }
    public bool ReadOnly { get; init; }

    public override string ToString() => $"{Source}:{Destination}{(ReadOnly ? ":ro" : "")}";
}
