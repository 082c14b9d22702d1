using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Namespaces that live with no process in them: each is a bind mount of /proc/PID/ns/KIND onto a file under
/// /run/containerps/ns/&lt;name&gt;/, made while a clone child sits in the new namespaces, as `unshare --net=FILE`
/// and `ip netns add` do. A net namespace is also bound at /run/netns/&lt;name&gt;, so `ip netns` sees it.
/// </summary>
public static class PersistentNamespace
{
    public const string Root = "/run/containerps/ns";
    public const string IpNetnsDir = "/run/netns";

    public static string Dir(string name) => Path.Combine(Root, name);

    /// <summary>The name of the persistent namespace a bind-mount path belongs to, or null.</summary>
    public static string? NameOf(string path) =>
        path.StartsWith(Root + "/", StringComparison.Ordinal) ? path[(Root.Length + 1)..].Split('/')[0] : null;

    public static bool Exists(string name) => Directory.Exists(Dir(name));

    /// <summary>The kinds bound for a name, with their paths.</summary>
    public static IReadOnlyList<(NamespaceKind Kind, string Path)> Members(string name) =>
        NamespaceKinds.All.Select(k => (k, Path.Combine(Dir(name), k.ProcName()))).Where(m => File.Exists(m.Item2)).ToArray();

    public static void Create(string name, NamespaceKind kinds)
    {
        Validate(name, kinds);
        if (!Sys.IsRoot)
        {
            // Checked first: without the privilege the first refusal would be a bare EACCES on /run/containerps.
            throw new ContainerPSException("PersistentNamespaceNeedsRoot", FailureKind.PermissionDenied,
                $"Keeping namespace '{name}' is a bind mount of its nsfs file under {Root}, which needs root (CAP_SYS_ADMIN in the host's mount namespace), and this process runs as uid {Sys.EffectiveUid}. Run pwsh as root for it; a container's namespaces are kept by its process.", name);
        }
        Rollback.Run(rollback =>
        {
            MakePrivateMountPoint();
            rollback.Add("mount point " + Root, ReleaseMountPointIfUnused);
            Directory.CreateDirectory(Dir(name));
            rollback.Add("directory " + Dir(name), () => Directory.Delete(Dir(name), recursive: true));

            // Killed when this scope ends, before any undo: the bind mounts keep the namespaces, not the process.
            using var holder = NamespaceHolder.Start(kinds);
            if (kinds.HasFlag(NamespaceKind.User))
            {
                UserNamespaceMap.WriteRootMapping(holder.Pid);
            }
            foreach (var kind in kinds.Each())
            {
                Bind($"/proc/{holder.Pid}/ns/{kind.ProcName()}", Path.Combine(Dir(name), kind.ProcName()), rollback);
            }
            if (kinds.HasFlag(NamespaceKind.Net))
            {
                Directory.CreateDirectory(IpNetnsDir);
                Bind($"/proc/{holder.Pid}/ns/net", Path.Combine(IpNetnsDir, name), rollback);
            }
        });
    }

    /// <summary>Throws NamespaceNotFound when <see cref="Remove"/> would refuse: no such name. Changes nothing.</summary>
    public static void CheckExists(string name)
    {
        if (!Exists(name))
        {
            throw new ContainerPSException("NamespaceNotFound", FailureKind.ObjectNotFound,
                $"No persistent namespace is named '{name}'. Get-Namespace -Name * lists them.", name);
        }
    }

    public static void Remove(string name)
    {
        CheckExists(name);
        var netns = Path.Combine(IpNetnsDir, name);
        var ours = Members(name).FirstOrDefault(m => m.Kind == NamespaceKind.Net).Path;
        if (ours is not null && File.Exists(netns) && NamespaceFile.Identity(netns) == NamespaceFile.Identity(ours))
        {
            Unbind(netns);
        }
        foreach (var (_, path) in Members(name))
        {
            Unbind(path);
        }
        Directory.Delete(Dir(name), recursive: true);
        ReleaseMountPointIfUnused();
    }

    private static void Validate(string name, NamespaceKind kinds)
    {
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-') || name is "." or "..")
        {
            throw new ContainerPSException("InvalidNamespaceName", FailureKind.InvalidArgument,
                $"'{name}' is not a valid namespace name. Use 1-64 letters, digits, '_', '.' or '-'.", name);
        }
        if (kinds.HasFlag(NamespaceKind.Pid))
        {
            throw new ContainerPSException("PidNamespaceNotPersistent", FailureKind.InvalidArgument,
                "A pid namespace cannot outlive its first process (no process can enter it after PID 1 exits). Give Mnt, Uts, Ipc, Net, Cgroup, User or Time, or run a container for a pid namespace.", kinds);
        }
        if (Exists(name) || kinds.HasFlag(NamespaceKind.Net) && File.Exists(Path.Combine(IpNetnsDir, name)))
        {
            throw new ContainerPSException("NamespaceNameInUse", FailureKind.ResourceExists,
                $"A namespace named '{name}' already exists ({(Exists(name) ? Dir(name) : Path.Combine(IpNetnsDir, name))}). Choose another -Name, or Remove-Namespace it first.", name);
        }
        foreach (var kind in kinds.Each())
        {
            if (!File.Exists($"/proc/self/ns/{kind.ProcName()}"))
            {
                throw new ContainerPSException("NamespaceKindNotSupported", FailureKind.InvalidArgument,
                    $"This kernel has no {kind} namespaces (/proc/self/ns/{kind.ProcName()} is missing).", kind);
            }
        }
    }

    private static void Bind(string source, string target, Rollback rollback)
    {
        File.WriteAllBytes(target, []);
        rollback.Add("file " + target, () => File.Delete(target));
        Sys.Mount(source, target, null, (ulong)MountFlags.Bind);
        rollback.Add("bind mount " + target, () => Sys.Unmount(target, MNT_DETACH));
    }

    private static void Unbind(string path)
    {
        Sys.Unmount(path, MNT_DETACH);
        File.Delete(path);
    }

    /// <summary>
    /// A mount namespace may only be bound where its own mounts cannot propagate back onto the binding (a loop the
    /// kernel refuses), so the directory is made a private mount of itself first, as util-linux's unshare asks.
    /// </summary>
    private static void MakePrivateMountPoint()
    {
        Directory.CreateDirectory(Root);
        var isMountPoint = File.ReadLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == Root);
        if (!isMountPoint)
        {
            Sys.Mount(Root, Root, null, (ulong)MountFlags.Bind);
        }
        Sys.Mount(null, Root, null, (ulong)MountFlags.Private);
    }

    /// <summary>Takes the private mount point away again once no persistent namespace needs it: the host is left as it was.</summary>
    private static void ReleaseMountPointIfUnused()
    {
        if (Directory.Exists(Root) && !Directory.EnumerateFileSystemEntries(Root).Any())
        {
            if (File.ReadLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == Root))
            {
                Sys.Unmount(Root, MNT_DETACH);
            }
            Directory.Delete(Root);
        }
    }
}
