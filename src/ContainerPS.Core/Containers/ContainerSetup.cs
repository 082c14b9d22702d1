using ContainerPS.Core.Rootfs;
using System.Text;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Security;
using static ContainerPS.Core.Interop.SyscallNumber;
using static ContainerPS.Core.Interop.MountFlags;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// The container's setup inside its new namespaces, as system calls the shim prepares and the clone child makes
/// before execve (<see cref="CloneRequest.Setup"/>): the rootfs bind-mounted on itself, its own /proc, a /dev with
/// only the safe devices, read-only /sys, tmpfs /tmp, the runtime's /etc files, the user's bind mounts, pivot_root
/// with the old root detached, masked and read-only paths, hostname, loopback up, an empty inheritable capability
/// set; then "ready", and the wait on the
/// exec fifo that Start-Container ends. runc re-executes itself to do this; a prepared list costs no program start.
/// <para>
/// Mount points are made here, in the shim, before the clone: the rootfs directory is the same file system on both
/// sides of the new mount namespace, so creating them inside it would change nothing but the time it takes.
/// </para>
/// <para>
/// Before pivot_root a path string in the rootfs is read from the host's root: a co-tenant of a shared rootfs that
/// swaps a mount target for a symlink between our planning and our mount (runc's CVE-2021-30465) would send the mount,
/// or a device node, out of the root. So the child opens each target itself, with openat2 from a descriptor of the root
/// (RESOLVE_IN_ROOT: ".." and absolute links stop at the root; RESOLVE_NO_MAGICLINKS), and mounts on
/// /proc/self/fd/N; /dev's nodes are made relative to a descriptor of the fresh tmpfs, which nobody else can reach.
/// After pivot_root the root is "/", and paths are resolved inside it anyway.
/// </para>
/// </summary>
public static class ContainerSetup
{
    /// <summary>Paths that would leak host state into the container; hidden as runc hides them (and written so into bundles).</summary>
    internal static readonly string[] MaskedPaths =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    internal static readonly string[] ReadOnlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    private static readonly (string Name, uint Major, uint Minor)[] DefaultNodes =
        [("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0)];

    // Paths in the steps after pivot_root are absolute: each *at call there takes AT_FDCWD.
    private const long AtFdcwd = SetupPlan.AtFdcwd;

    /// <param name="slots">The descriptor numbers the steps open the root, each target and /dev at.</param>
    /// <param name="fifo">The exec fifo, open (O_PATH) at this descriptor number in the child.</param>
    /// <param name="idmappedRoot">With -UidMap: the rootfs as an id-mapped tree (<see cref="IdmappedTree"/>) at this descriptor number, attached in place of the self-bind.</param>
    public static IReadOnlyList<SetupStep> Steps(ContainerSpec spec, string stateDir, SetupDescriptors slots, int fifo, int? idmappedRoot = null)
    {
        var root = Path.GetFullPath(spec.RootFs);
        var userNamespace = spec.Namespaces.HasFlag(NamespaceKind.User);
        var steps = new SetupPlan(steps: [], slots);
        void Add(string what, long number, params object?[] arguments) => steps.Add(new SetupStep(what, number, arguments));
        void AddMount(string? source, string target, string? type, MountFlags flags, string? data = null, SyscallStepFlags how = SyscallStepFlags.None) =>
            steps.Add(new SetupStep($"mount {source ?? type ?? ""} on {target}", Mount, [source, target, type, (long)flags, data], how));

        // Nothing we mount may propagate back to the host's mount namespace (seed 000's "secret" tmpfs).
        AddMount(null, "/", null, Recursive | Private);
        if (idmappedRoot is { } tree)
        {
            steps.Add(new SetupStep("move_mount of the id-mapped rootfs onto " + root, MoveMount, [tree, "", AtFdcwd, root, 4 /* MOVE_MOUNT_F_EMPTY_PATH */]));
        }
        else
        {
            AddMount(root, root, null, Bind | Recursive);
        }
        steps.OpenRoot(root);
        Target(root, "/proc");
        steps.MountInRoot("proc", "/proc", "proc", NoSuid | NoDev | NoExec);
        Target(root, "/dev");
        AddDev(steps, userNamespace);
        AddDevices(steps, spec.Devices, userNamespace);
        Target(root, "/sys");
        AddSys(steps, spec.Namespaces);
        Target(root, "/tmp");
        steps.MountInRoot("tmpfs", "/tmp", "tmpfs", NoSuid | NoDev, "mode=1777");
        AddEtcFiles(root, stateDir, spec, steps); // before the user's mounts, so that one of theirs wins
        foreach (var mount in spec.Mounts)
        {
            if (mount.Destination.StartsWith("/tmp/", StringComparison.Ordinal))
            {
                AddTmpMountPoint(steps, mount.Destination, file: !Directory.Exists(mount.Source));
            }
            else
            {
                Target(root, mount.Destination, file: !Directory.Exists(mount.Source));
            }
            steps.MountInRoot(mount.Source, mount.Destination, null, Bind | Recursive);
            if (mount.ReadOnly)
            {
                steps.ReadOnlyInRoot(mount.Destination);
            }
        }

        // pivot_root(".", ".") stacks the old root under the new one; detaching it leaves no way back to the host.
        Add("chdir " + root, Chdir, root);
        Add("pivot_root", PivotRoot, ".", ".");
        AddMount(null, ".", null, Slave | Recursive);
        Add("umount2 of the old root", Umount2, ".", 2 /* MNT_DETACH */);
        Add("chdir /", Chdir, "/");
        // The container's /proc and /sys show what the host's do (one kernel); a path it lacks is skipped.
        foreach (var path in MaskedPaths.Where(Path.Exists))
        {
            if (Directory.Exists(path))
            {
                AddMount("tmpfs", path, "tmpfs", ReadOnly, how: SyscallStepFlags.MayBeMissing);
            }
            else
            {
                AddMount("/dev/null", path, null, Bind, how: SyscallStepFlags.MayBeMissing);
            }
        }
        foreach (var path in ReadOnlyPaths.Where(Path.Exists))
        {
            steps.ReadOnlyPath(path);
        }
        if (spec.ReadOnlyRootFs)
        {
            AddMount("/", "/", null, Bind | Remount | ReadOnly);
        }

        if (spec.Namespaces.HasFlag(NamespaceKind.Uts) && spec.Hostname is not null)
        {
            Add("sethostname " + spec.Hostname, Sethostname, spec.Hostname, Encoding.UTF8.GetByteCount(spec.Hostname));
        }
        if (spec.Namespaces.HasFlag(NamespaceKind.Net))
        {
            // A new network namespace starts with lo down; docker and podman bring it up, so 127.0.0.1 works.
            Add("socket(AF_INET)", Socket, 2 /* AF_INET */, 2 | 0x80000 /* SOCK_DGRAM | SOCK_CLOEXEC */, 0);
            steps.Add(new SetupStep("ioctl(SIOCSIFFLAGS) lo up", Ioctl, [null, 0x8914 /* SIOCSIFFLAGS */, LoopbackUp()], SyscallStepFlags.OnPreviousResult));
        }
        if (!spec.Privileged && Capabilities.ClearInheritable(spec.Namespaces.HasFlag(NamespaceKind.User)) is { } capset)
        {
            steps.Add(capset);
        }

        steps.Add(SetupStep.Ready);
        // Blocks until Start-Container opens the fifo for reading: the Created -> Running transition.
        Add("open of the exec fifo", Openat, AtFdcwd, $"/proc/self/fd/{fifo}", OpenFlags.WriteOnly | OpenFlags.CloseOnExec);
        steps.Add(new SetupStep("write to the exec fifo", Write, [null, "0", 1], SyscallStepFlags.OnPreviousResult));
        return steps.Steps;
    }

    /// <summary>Makes a mount point inside the rootfs when it is missing, resolving the path as the kernel will in the root.</summary>
    private static void Target(string root, string path, bool file = false)
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
    }

    private static void AddDev(SetupPlan steps, bool inUserNamespace)
    {
        steps.MountInRoot("tmpfs", "/dev", "tmpfs", NoSuid | StrictAtime, "mode=755,size=65536k");
        AddDevNodes(steps, inUserNamespace);
        var dev = steps.Slots.Tmpfs;
        void Add(string what, long number, params object?[] arguments) => steps.Add(new SetupStep(what, number, arguments));
        Add("mkdir /dev/pts", Mkdirat, dev, "pts", 0x1ED);
        steps.MountInRoot("devpts", "/dev/pts", "devpts", NoSuid | NoExec, "newinstance,ptmxmode=0666,mode=0620");
        Add("mkdir /dev/shm", Mkdirat, dev, "shm", 0x1ED);
        steps.MountInRoot("shm", "/dev/shm", "tmpfs", NoSuid | NoDev | NoExec, "mode=1777,size=65536k");
    }

    /// <summary>
    /// The default nodes and links of a fresh /dev tmpfs (mounted just before): null, zero, full, random, urandom, tty,
    /// ptmx (a link into the devpts that follows) and fd, stdin, stdout, stderr. Leaves /dev open at the tmpfs slot.
    /// </summary>
    internal static void AddDevNodes(SetupPlan steps, bool inUserNamespace)
    {
        var dev = steps.Slots.Tmpfs;
        void Add(string what, long number, params object?[] arguments) => steps.Add(new SetupStep(what, number, arguments));
        steps.Open("/dev", dev); // the tmpfs now: only this mount namespace sees it, so paths below it are ours alone
        foreach (var (name, major, minor) in DefaultNodes)
        {
            if (inUserNamespace)
            {
                // A user namespace may not mknod; bind the host's node instead, as runc does for rootless.
                Add("create /dev/" + name, Openat, dev, name, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.CloseOnExec, 0x1B6);
                steps.MountInRoot("/dev/" + name, "/dev/" + name, null, Bind);
            }
            else
            {
                Add("mknod /dev/" + name, Mknodat, dev, name, 0x2000 /* S_IFCHR */ | 0x1B6, (major << 8) | minor);
                Add("chmod /dev/" + name, Fchmodat, dev, name, 0x1B6, 0); // umask must not narrow the device modes
            }
        }
        Add("symlink /dev/ptmx", Symlinkat, "pts/ptmx", dev, "ptmx");
        foreach (var (link, target) in new[] { ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2") })
        {
            Add("symlink /dev/" + link, Symlinkat, target, dev, link);
        }
    }

    /// <summary>
    /// The user's -Device nodes, made in the container's /dev (a tmpfs of its own, so the rootfs is not changed) with
    /// the host node's numbers and permission bits. Directories on the way (/dev/net for /dev/net/tun) are made
    /// first; one that exists already is fine.
    /// </summary>
    internal static void AddDevices(SetupPlan steps, DeviceSpec[] devices, bool inUserNamespace)
    {
        var dev = steps.Slots.Tmpfs;
        foreach (var device in devices)
        {
            var node = device.ContainerPath["/dev/".Length..];
            var parents = new Stack<string>();
            for (var parent = Path.GetDirectoryName(node)!; parent.Length > 0; parent = Path.GetDirectoryName(parent)!)
            {
                parents.Push(parent);
            }
            foreach (var parent in parents)
            {
                steps.Add(new SetupStep("mkdir /dev/" + parent, Mkdirat, [dev, parent, 0x1ED], SyscallStepFlags.MayFail));
            }
            if (inUserNamespace)
            {
                steps.Add(new SetupStep("create " + device.ContainerPath, Openat, [dev, node, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.CloseOnExec, 0x1B6]));
                steps.MountInRoot(device.HostPath, device.ContainerPath, null, Bind);
                continue;
            }
            var type = device.Type == DeviceType.Block ? 0x6000u /* S_IFBLK */ : 0x2000u /* S_IFCHR */;
            steps.Add(new SetupStep("mknod " + device.ContainerPath, Mknodat, [dev, node, type | device.Permissions, EncodeDevice(device.Major, device.Minor)]));
            steps.Add(new SetupStep("chmod " + device.ContainerPath, Fchmodat, [dev, node, device.Permissions, 0]));
        }
    }

    /// <summary>
    /// A mount point below /tmp is made in the child, in the tmpfs just mounted there: one made in the rootfs would be
    /// hidden under it. That tmpfs is this mount namespace's alone, so paths relative to it cannot be swapped.
    /// </summary>
    private static void AddTmpMountPoint(SetupPlan steps, string destination, bool file)
    {
        var tmp = steps.Slots.Tmpfs;
        steps.Open("/tmp", tmp);
        var relative = destination["/tmp/".Length..].TrimEnd('/');
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < parts.Length; i++)
        {
            var parent = string.Join('/', parts[..i]);
            steps.Add(new SetupStep("mkdir /tmp/" + parent, Mkdirat, [tmp, parent, 0x1ED], SyscallStepFlags.MayFail)); // one there already is fine
        }
        steps.Add(file
            ? new SetupStep("create " + destination, Openat, [tmp, relative, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.CloseOnExec, 0x1A4])
            : new SetupStep("mkdir " + destination, Mkdirat, [tmp, relative, 0x1ED], SyscallStepFlags.MayFail));
    }

    /// <summary>The kernel's new_encode_dev: the 32-bit device number mknod takes, for minors above 255 too.</summary>
    private static long EncodeDevice(uint major, uint minor) => (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);

    private static void AddSys(SetupPlan steps, NamespaceKind namespaces)
    {
        if (namespaces.HasFlag(NamespaceKind.Net) || !namespaces.HasFlag(NamespaceKind.User))
        {
            steps.MountInRoot("sysfs", "/sys", "sysfs", ReadOnly | NoSuid | NoDev | NoExec);
            return;
        }
        // sysfs belongs to the host's net namespace; a user namespace that shares it may only bind it, read-only.
        steps.MountInRoot("/sys", "/sys", null, Bind | Recursive);
        steps.ReadOnlyInRoot("/sys", SetupPlan.MountAttrReadOnly | SetupPlan.MountAttrNoSuid | SetupPlan.MountAttrNoDev | SetupPlan.MountAttrNoExec);
    }

    /// <summary>
    /// The files the runtime writes for a container (its spec's EtcFiles, kept in the state directory) go to /etc/NAME
    /// without changing the rootfs: each is bind-mounted over the rootfs's file. A bind mount needs a file to mount on,
    /// and making one would change the rootfs, so when one is missing (a busybox rootfs has no /etc/hosts) /etc is
    /// first covered by an overlay whose upper layer, in the state directory, holds the missing mount points. The
    /// container's own writes to /etc then land in that layer as well, and go with the container.
    /// </summary>
    private static void AddEtcFiles(string root, string stateDir, ContainerSpec spec, SetupPlan steps)
    {
        if (spec.EtcFiles.Length == 0)
        {
            return;
        }
        // File.Exists is false for a dangling symlink too (resolv.conf -> a systemd stub): the upper layer's file covers it.
        var missing = spec.EtcFiles.Where(f => !File.Exists(SecurePath.Join(root, f.Destination))).ToArray();
        if (missing.Length > 0)
        {
            var upper = Path.Combine(stateDir, "etc", "upper");
            var work = Path.Combine(stateDir, "etc", "work");
            Directory.CreateDirectory(upper);
            Directory.CreateDirectory(work);
            foreach (var file in missing)
            {
                File.WriteAllBytes(Path.Combine(upper, Path.GetFileName(file.Destination)), []);
            }
            // With -UidMap root inside is another host id: the layer is its to write, as /etc is root's.
            if (ContainerIdMaps.HostRoot(spec) is { } owner)
            {
                foreach (var path in Directory.EnumerateFileSystemEntries(upper).Append(upper).Append(work))
                {
                    Sys.Chown(path, owner.Uid, owner.Gid);
                }
            }
            // In a user namespace overlayfs may not write trusted.* attributes; userxattr makes it use user.* ones.
            // The rootfs's /etc, opened in the root, is both the lower layer and the mount point.
            var etc = steps.Open("/etc", steps.Slots.Target);
            var options = $"lowerdir={etc},upperdir={upper},workdir={work}" + (spec.Namespaces.HasFlag(NamespaceKind.User) ? ",userxattr" : "");
            steps.Add(new SetupStep("mount overlay on /etc", Mount, ["overlay", etc, "overlay", (long)(spec.ReadOnlyRootFs ? ReadOnly : None), options]));
        }
        foreach (var file in spec.EtcFiles)
        {
            steps.MountInRoot(file.Source, file.Destination, null, Bind);
        }
    }

    /// <summary>struct ifreq for lo with IFF_UP (the flags SIOCSIFFLAGS may change; LOOPBACK and RUNNING are the kernel's).</summary>
    private static byte[] LoopbackUp()
    {
        var request = new byte[40]; // 16-byte name, then the flags union
        "lo"u8.CopyTo(request);
        request[16] = 0x1 | 0x8; // IFF_UP | IFF_LOOPBACK
        return request;
    }
}
