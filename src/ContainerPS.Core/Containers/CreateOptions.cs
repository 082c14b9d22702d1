using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Core.Containers;

/// <summary>What New-Container was given, before validation turns it into a <see cref="ContainerSpec"/>.</summary>
public sealed record CreateOptions
{
    /// <summary>-RootFs: a directory; null when <see cref="Image"/> gives the root.</summary>
    public string? RootFs { get; init; }

    /// <summary>-Image: the image whose layers, under a writable layer of its own, are the container's root.</summary>
    public Images.ContainerImage? Image { get; init; }

    /// <summary>-Entrypoint: what runs, with <see cref="Command"/> as its arguments; replaces the image's Entrypoint and drops its Cmd.</summary>
    public string[]? Entrypoint { get; init; }
    public string? Name { get; init; }
    public string[]? Command { get; init; }
    public string? Hostname { get; init; }
    /// <summary>Kinds to create; null means the default set, less any kind joined.</summary>
    public NamespaceKind? Namespaces { get; init; }

    /// <summary>Existing namespaces to join: (kind, path to open).</summary>
    public IReadOnlyList<(NamespaceKind Kind, string Path)> JoinNamespaces { get; init; } = [];
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string? WorkingDirectory { get; init; }
    public string[] Mounts { get; init; } = [];
    public bool ReadOnlyRootFs { get; init; }
    public bool Privileged { get; init; }

    /// <summary>Limits set on the container's cgroup before its process starts.</summary>
    public CgroupLimits? Limits { get; init; }

    /// <summary>-Network: null or "none" (its own net namespace with lo only), "host" (the host's), or a container network's name.</summary>
    public string? Network { get; init; }

    /// <summary>-IPAddress on the named network, instead of the next free one.</summary>
    public string? IPAddress { get; init; }

    /// <summary>-Publish: "hostPort:containerPort[/tcp|udp]" on the named network.</summary>
    public string[] Publish { get; init; } = [];

    /// <summary>-SeccompProfile: a path to an OCI or Docker seccomp JSON profile, or "Unconfined"; null is Docker's default.</summary>
    public string? SeccompProfile { get; init; }

    /// <summary>-Device: "/dev/HOST[:/dev/INSIDE][:rwm]", host devices the container may use.</summary>
    public string[] Devices { get; init; } = [];

    /// <summary>-CapabilityAdd: names from capabilities(7) (CAP_ optional, any case) or ALL, added to the default set.</summary>
    public string[] CapabilityAdd { get; init; } = [];

    /// <summary>-CapabilityDrop: names or ALL, taken from the default set.</summary>
    public string[] CapabilityDrop { get; init; } = [];

    /// <summary>-User: "user[:group]", numbers or names from the rootfs's /etc/passwd and /etc/group; null is root.</summary>
    public string? User { get; init; }

    /// <summary>-Group: additional groups, numbers or names from the rootfs's /etc/group.</summary>
    public string[] Groups { get; init; } = [];

    /// <summary>-UserNamespace: a user namespace whose maps are a free block of the ids /etc/subuid and /etc/subgid give containerps.</summary>
    public bool UserNamespace { get; init; }

    /// <summary>-UidMap: CONTAINER:HOST:COUNT lines of its user namespace's uid map; -GidMap likewise (the uid map when not given).</summary>
    public string[] UidMap { get; init; } = [];

    public string[] GidMap { get; init; } = [];

    /// <summary>-PreserveFd: descriptors of this process the first process gets at the same numbers.</summary>
    public int[] PreserveFds { get; init; } = [];
}
