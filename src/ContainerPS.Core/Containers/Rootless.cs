using ContainerPS.Core.Interop;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Containers;

/// <summary>
/// The module run by a user other than root, as podman runs rootless: each container gets a user namespace whose root
/// is that user, the records live under $XDG_RUNTIME_DIR/containerps, and what needs host privileges (a bridge, NAT,
/// a cgroup) is refused with what it needs instead of failing on the way.
/// </summary>
public static class Rootless
{
    /// <summary>True when this process does not act as root.</summary>
    public static bool Active => !Sys.IsRoot;

    /// <summary>The store root of this user: /run/containerps for root, $XDG_RUNTIME_DIR/containerps for anyone else.</summary>
    public static string StoreRoot()
    {
        if (!Active)
        {
            return ContainerStore.DefaultRoot;
        }
        var runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (string.IsNullOrEmpty(runtimeDir))
        {
            throw new ContainerPSException("RuntimeDirectoryUnset", FailureKind.InvalidOperation,
                $"ContainerPS run as uid {Sys.EffectiveUid} keeps its containers under $XDG_RUNTIME_DIR/containerps, and XDG_RUNTIME_DIR is not set. " +
                "Log in through a session that sets it (pam_systemd does), or set it to a directory you own with mode 0700; /run/containerps is root's.");
        }
        // Records there are trusted as the user's own: a directory another user may write (a value carried over by
        // su or sudo -E) could hold names and links planted for it.
        if (!Sys.TryLstat(runtimeDir, out var owner, out var mode) || owner != Sys.EffectiveUid || (mode & 0x12 /* group or other write */) != 0)
        {
            throw new ContainerPSException("RuntimeDirectoryNotPrivate", FailureKind.PermissionDenied,
                $"XDG_RUNTIME_DIR is {runtimeDir}, which is not a directory of uid {Sys.EffectiveUid} that only it may write; ContainerPS keeps a user's containers there. Point XDG_RUNTIME_DIR at a directory you own with mode 0700.", runtimeDir);
        }
        var root = Path.Combine(runtimeDir, "containerps");
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return root;
    }

    /// <summary>
    /// The maps of a rootless container: root inside is this user, and with newuidmap and newgidmap installed and
    /// lines for this user in /etc/subuid and /etc/subgid, ids 1 and up are the user's subordinate ids (as podman
    /// maps them). Without those only root exists inside: the kernel lets an unprivileged user map its own id alone.
    /// </summary>
    public static (IdMapping[] Uids, IdMapping[] Gids) Maps(string subuid = "/etc/subuid", string subgid = "/etc/subgid")
    {
        var (uid, gid) = (Sys.EffectiveUid, Sys.EffectiveGid);
        var owners = new[] { Environment.UserName, uid.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        IdMapping[] Map(uint own, string file) =>
            SubordinateIds.Ranges(file, owners).FirstOrDefault() is { Count: > 0 } range && Namespaces.UserNamespaceMap.HelpersInstalled
                ? [new IdMapping(0, own, 1), new IdMapping(1, range.Start, range.Count)]
                : [new IdMapping(0, own, 1)];
        return (Map(uid, subuid), Map(gid, subgid));
    }

    /// <summary>
    /// A rootless create's maps (those given, else <see cref="Maps"/>), or the error for what it asks that needs root:
    /// a container network (a bridge and NAT in the host's network namespace), the host's network (its /sys cannot be
    /// mounted from a user namespace), limits (a cgroup); or for no pid namespace, without which nothing could end
    /// the processes of a container that has no cgroup.
    /// </summary>
    public static (IdMapping[] Uids, IdMapping[] Gids) Check(CreateOptions options, Namespaces.NamespaceKind namespaces, IdMapping[] uids, IdMapping[] gids)
    {
        if (!namespaces.HasFlag(Namespaces.NamespaceKind.Pid))
        {
            throw new ContainerPSException("RootlessNeedsPidNamespace", FailureKind.InvalidArgument,
                $"A container of uid {Sys.EffectiveUid} needs a pid namespace of its own: without a cgroup, ending its first process (pid 1 there) is how its other processes end. Add Pid to -Namespace.", options.Namespaces);
        }
        if (ContainerNetworks.ContainerNetworkMode.IsNamed(options.Network))
        {
            throw NeedsRoot("NetworkNeedsRoot", $"-Network {options.Network}", "CAP_NET_ADMIN in the host's network namespace (a bridge, veth pairs and NAT rules)",
                "leave -Network out (none: a network namespace of its own with loopback only)", options.Network);
        }
        if (ContainerNetworks.ContainerNetworkMode.IsHost(options.Network))
        {
            throw NeedsRoot("HostNetworkNeedsRoot", "-Network host", "root (the host network namespace's /sys cannot be mounted from a user namespace)",
                "leave -Network out", options.Network);
        }
        if (options.Limits is not null)
        {
            throw NeedsRoot("CgroupNeedsRoot", "A limit (-Memory, -CpuQuota, -Pids, ...)",
                "a cgroup, which ContainerPS makes only as root (cgroups delegated to a user are not used yet)", "leave the limits out");
        }
        return uids.Length > 0 ? (uids, gids) : Maps();
    }

    /// <summary>
    /// Said once per session when a rootless container is made, since it has no cgroup, so the user knows what is
    /// missing; null as root.
    /// </summary>
    public static string? CgroupWarning() => Active
        ? $"Containers of uid {Sys.EffectiveUid} run without a cgroup: no limits, accounting (Get-CgroupStat) or Suspend-Container, because ContainerPS makes cgroups only as root (cgroups delegated to a user are not used yet)."
        : null;

    /// <summary>The error for something a non-root user cannot do here, naming the privilege and what works instead.</summary>
    public static ContainerPSException NeedsRoot(string reason, string what, string privilege, string instead, object? target = null) =>
        new(reason, FailureKind.PermissionDenied,
            $"{what} needs {privilege}, and this process runs as uid {Sys.EffectiveUid}. Run pwsh as root for it, or {instead}.", target);
}
