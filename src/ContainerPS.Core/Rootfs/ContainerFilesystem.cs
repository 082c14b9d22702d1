using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using static ContainerPS.Core.Rootfs.MountFlags;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// Builds the container's view of the filesystem from inside its new mount namespace (run by init): the rootfs
/// bind-mounted on itself, its own /proc, a /dev with only the safe devices, read-only /sys, tmpfs /tmp, the
/// runtime's /etc files, the user's bind mounts, then pivot_root into it with the old root detached, then masked and
/// read-only paths.
/// </summary>
public static class ContainerFilesystem
{
    /// <summary>Paths that would leak host state into the container; hidden as runc hides them.</summary>
    private static readonly string[] MaskedPaths =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    private static readonly string[] ReadOnlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    private static readonly (string Name, uint Major, uint Minor)[] Devices =
        [("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0)];

    public static void Enter(ContainerSpec spec, string stateDir)
    {
        var root = Path.GetFullPath(spec.RootFs);
        // Nothing we mount may propagate back to the host's mount namespace (seed 000's "secret" tmpfs).
        Sys.Mount(null, "/", null, (ulong)(Recursive | Private));
        Sys.Mount(root, root, null, (ulong)(Bind | Recursive));

        MountProc(root);
        MountDev(root, spec.Namespaces.HasFlag(NamespaceKind.User));
        MountSys(root, spec.Namespaces);
        Sys.Mount("tmpfs", Target(root, "/tmp"), "tmpfs", (ulong)(NoSuid | NoDev), "mode=1777");
        EtcOverlay.Mount(root, stateDir, spec); // before the user's mounts, so that one of theirs wins
        foreach (var mount in spec.Mounts)
        {
            BindMount(root, mount);
        }

        PivotRoot(root);
        foreach (var path in MaskedPaths)
        {
            Mask(path);
        }
        foreach (var path in ReadOnlyPaths.Where(Path.Exists))
        {
            Sys.Mount(path, path, null, (ulong)(Bind | Recursive));
            Sys.Mount(path, path, null, (ulong)(Bind | Remount | ReadOnly | Recursive));
        }
        if (spec.ReadOnlyRootFs)
        {
            Sys.Mount("/", "/", null, (ulong)(Bind | Remount | ReadOnly));
        }
    }

    /// <summary>A mount point inside the rootfs, resolved safely and created when missing.</summary>
    private static string Target(string root, string path, bool file = false)
    {
        var target = SecurePath.Join(root, path);
        if (file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!Path.Exists(target))
            {
                File.WriteAllBytes(target, []);
            }
        }
        else
        {
            Directory.CreateDirectory(target);
        }
        return target;
    }

    private static void MountProc(string root) =>
        Sys.Mount("proc", Target(root, "/proc"), "proc", (ulong)(NoSuid | NoDev | NoExec));

    private static void MountDev(string root, bool inUserNamespace)
    {
        var dev = Target(root, "/dev");
        Sys.Mount("tmpfs", dev, "tmpfs", (ulong)(NoSuid | StrictAtime), "mode=755,size=65536k");
        foreach (var (name, major, minor) in Devices)
        {
            var node = Path.Combine(dev, name);
            if (inUserNamespace)
            {
                // A user namespace may not mknod; bind the host's node instead, as runc does for rootless.
                File.WriteAllBytes(node, []);
                Sys.Mount("/dev/" + name, node, null, (ulong)Bind);
            }
            else
            {
                Sys.MakeNode(node, 0x2000 /* S_IFCHR */ | 0x1B6 /* 0666 */, major, minor);
                File.SetUnixFileMode(node, (UnixFileMode)0x1B6); // umask must not narrow the device modes
            }
        }
        Directory.CreateDirectory(Path.Combine(dev, "pts"));
        Sys.Mount("devpts", Path.Combine(dev, "pts"), "devpts", (ulong)(NoSuid | NoExec), "newinstance,ptmxmode=0666,mode=0620");
        File.CreateSymbolicLink(Path.Combine(dev, "ptmx"), "pts/ptmx");
        Directory.CreateDirectory(Path.Combine(dev, "shm"));
        Sys.Mount("shm", Path.Combine(dev, "shm"), "tmpfs", (ulong)(NoSuid | NoDev | NoExec), "mode=1777,size=65536k");
        File.CreateSymbolicLink(Path.Combine(dev, "fd"), "/proc/self/fd");
        File.CreateSymbolicLink(Path.Combine(dev, "stdin"), "/proc/self/fd/0");
        File.CreateSymbolicLink(Path.Combine(dev, "stdout"), "/proc/self/fd/1");
        File.CreateSymbolicLink(Path.Combine(dev, "stderr"), "/proc/self/fd/2");
    }

    private static void MountSys(string root, NamespaceKind namespaces)
    {
        var sys = Target(root, "/sys");
        const MountFlags flags = ReadOnly | NoSuid | NoDev | NoExec;
        if (namespaces.HasFlag(NamespaceKind.Net) || !namespaces.HasFlag(NamespaceKind.User))
        {
            Sys.Mount("sysfs", sys, "sysfs", (ulong)flags);
            return;
        }
        // sysfs belongs to the host's net namespace; a user namespace that shares it may only bind it, read-only.
        Sys.Mount("/sys", sys, null, (ulong)(Bind | Recursive));
        Sys.Mount(sys, sys, null, (ulong)(Bind | Remount | Recursive | flags));
    }

    private static void BindMount(string root, MountSpec mount)
    {
        var target = Target(root, mount.Destination, file: !Directory.Exists(mount.Source));
        Sys.Mount(mount.Source, target, null, (ulong)(Bind | Recursive));
        if (mount.ReadOnly)
        {
            Sys.Mount(target, target, null, (ulong)(Bind | Remount | ReadOnly | Recursive));
        }
    }

    /// <summary>pivot_root(".", ".") stacks the old root under the new one; detaching it leaves no way back to the host.</summary>
    private static void PivotRoot(string root)
    {
        Sys.ChangeDirectory(root);
        Sys.PivotRoot(".", ".");
        Sys.Mount(null, ".", null, (ulong)(Slave | Recursive));
        Sys.Unmount(".", 2 /* MNT_DETACH */);
        Sys.ChangeDirectory("/");
    }

    private static void Mask(string path)
    {
        if (Directory.Exists(path))
        {
            Sys.Mount("tmpfs", path, "tmpfs", (ulong)ReadOnly);
        }
        else if (File.Exists(path))
        {
            Sys.Mount("/dev/null", path, null, (ulong)Bind);
        }
    }
}
