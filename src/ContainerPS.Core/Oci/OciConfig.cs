using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Oci;

/// <summary>
/// An OCI bundle's config.json, as far as this runtime honours it (<see cref="OciConfigReader"/> refuses, by name,
/// every member it cannot): what `create` needs to make the container, already checked and in this runtime's types.
/// </summary>
public sealed record OciConfig
{
    /// <summary>The bundle directory, absolute: relative paths in the config (root.path, bind sources) are from here.</summary>
    public required string Bundle { get; init; }

    /// <summary>The config.json text itself, kept beside the state for the hooks of later commands.</summary>
    public required byte[] Json { get; init; }
    public required string RootPath { get; init; }
    public bool RootReadOnly { get; init; }
    public required OciProcess Process { get; init; }
    public string? Hostname { get; init; }
    public string? Domainname { get; init; }
    public OciMount[] Mounts { get; init; } = [];
    public NamespaceKind NewNamespaces { get; init; }
    public NamespaceJoin[] JoinNamespaces { get; init; } = [];
    public IdMapping[] UidMap { get; init; } = [];
    public IdMapping[] GidMap { get; init; } = [];

    /// <summary>linux.devices: nodes made in the container's /dev.</summary>
    public DeviceSpec[] Devices { get; init; } = [];

    /// <summary>linux.resources.devices, in order, with the defaults every container gets before them.</summary>
    public DeviceRule[] AllowedDevices { get; init; } = [];

    /// <summary>Rules that allow every device ("a *:* rwm"): the container's devices are not restricted.</summary>
    public bool AllDevicesAllowed { get; init; }
    public string? CgroupsPath { get; init; }
    public CgroupLimits? Limits { get; init; }

    /// <summary>linux.resources.hugepageLimits: (page size as the kernel names it, "2MB"; limit in bytes).</summary>
    public (string PageSize, ulong Limit)[] HugepageLimits { get; init; } = [];

    /// <summary>linux.resources.network: net_cls's class id, and net_prio's priority per interface.</summary>
    public uint? NetworkClassId { get; init; }
    public (string Interface, uint Priority)[] NetworkPriorities { get; init; } = [];
    public (string Key, string Value)[] Sysctl { get; init; } = [];
    public string[] MaskedPaths { get; init; } = [];
    public string[] ReadonlyPaths { get; init; } = [];

    /// <summary>linux.rootfsPropagation as mount flags (MS_PRIVATE, MS_SLAVE, MS_SHARED, with MS_REC); null leaves the default rslave.</summary>
    public MountFlags? RootfsPropagation { get; init; }

    /// <summary>The JSON of linux.seccomp, or null: without it the container runs with no filter, as the spec says.</summary>
    public string? SeccompJson { get; init; }
    public OciHooks Hooks { get; init; } = new();
    public (string Key, string Value)[] Annotations { get; init; } = [];
}

/// <summary>config.json's process, or an exec's process.json.</summary>
public sealed record OciProcess
{
    public bool Terminal { get; init; }
    public (ushort Rows, ushort Columns)? ConsoleSize { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public uint[] AdditionalGids { get; init; } = [];
    public uint? Umask { get; init; }
    public required string[] Args { get; init; }
    public string[] Env { get; init; } = [];
    public required string Cwd { get; init; }

    /// <summary>The bounding set's names; root's permitted and effective sets follow it at execve.</summary>
    public string[] Capabilities { get; init; } = [];
    public (int Resource, ulong Soft, ulong Hard)[] Rlimits { get; init; } = [];
    public bool NoNewPrivileges { get; init; }
    public int? OomScoreAdj { get; init; }

    public ProcessUser User => new(Uid, Gid, AdditionalGids);
}

/// <summary>A mount of config.json: its type (null for a bind), flags and data as mount(2) takes them, and the propagation changes that follow it.</summary>
public sealed record OciMount
{
    public required string Destination { get; init; }
    public string? Type { get; init; }
    public string? Source { get; init; }
    public bool Bind { get; init; }
    public MountFlags Flags { get; init; }

    /// <summary>Flags a bind mount gets by mount_setattr once made (MOUNT_ATTR_RDONLY, NOSUID, NODEV, NOEXEC), since a bind ignores them.</summary>
    public long BindAttributes { get; init; }
    public string? Data { get; init; }
    public MountFlags[] Propagation { get; init; } = [];
}

/// <summary>One hook: a program, its arguments and environment, and how long it may take.</summary>
public sealed record OciHook(string Path, string[] Args, string[] Env, int? TimeoutSeconds);

public sealed record OciHooks
{
    public OciHook[] Prestart { get; init; } = [];
    public OciHook[] CreateRuntime { get; init; } = [];
    public OciHook[] CreateContainer { get; init; } = [];
    public OciHook[] StartContainer { get; init; } = [];
    public OciHook[] Poststart { get; init; } = [];
    public OciHook[] Poststop { get; init; } = [];
}
