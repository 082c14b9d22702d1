namespace ContainerPS.Core.Namespaces;

/// <summary>
/// The namespace kinds, named as /proc/PID/ns and lsns name them, so `-Namespace pid,mnt,net` reads the same.
/// The values are the CLONE_NEW* flags.
/// </summary>
[Flags]
public enum NamespaceKind
{
    Time = 0x00000080,
    Mnt = 0x00020000,
    Cgroup = 0x02000000,
    Uts = 0x04000000,
    Ipc = 0x08000000,
    User = 0x10000000,
    Pid = 0x20000000,
    Net = 0x40000000,
}

public static class NamespaceKinds
{
    /// <summary>What a container gets when the user names none: everything but user and time, as runc's default spec.</summary>
    public const NamespaceKind ContainerDefault =
        NamespaceKind.Pid | NamespaceKind.Mnt | NamespaceKind.Uts | NamespaceKind.Ipc | NamespaceKind.Net | NamespaceKind.Cgroup;

    public static readonly NamespaceKind[] All =
    [
        NamespaceKind.Cgroup, NamespaceKind.Ipc, NamespaceKind.Mnt, NamespaceKind.Net,
        NamespaceKind.Pid, NamespaceKind.Time, NamespaceKind.User, NamespaceKind.Uts,
    ];

    /// <summary>The entry name under /proc/PID/ns/.</summary>
    public static string ProcName(this NamespaceKind kind) => kind.ToString().ToLowerInvariant();

    public static IEnumerable<NamespaceKind> Each(this NamespaceKind kinds) => All.Where(k => kinds.HasFlag(k));
}
