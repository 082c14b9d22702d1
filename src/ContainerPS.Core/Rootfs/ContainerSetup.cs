using System.Text;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Security;
using static ContainerPS.Core.Interop.SyscallNumber;
using static ContainerPS.Core.Rootfs.MountFlags;

namespace ContainerPS.Core.Rootfs;

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
/// </summary>
public static class ContainerSetup
{
    /// <summary>Paths that would leak host state into the container; hidden as runc hides them.</summary>
    private static readonly string[] MaskedPaths =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    private static readonly string[] ReadOnlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    private static readonly (string Name, uint Major, uint Minor)[] DefaultNodes =
        [("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0)];

    // Paths in these steps are absolute or relative to the working directory: each *at call takes AT_FDCWD.
    private const long AtFdcwd = -100, AtRecursive = 0x8000, MountAttrReadOnly = 1;

    /// <param name="fifo">The exec fifo, open (O_PATH) at this descriptor number in the child.</param>
    public static IReadOnlyList<SetupStep> Steps(ContainerSpec spec, string stateDir, int fifo)
    {
        var root = Path.GetFullPath(spec.RootFs);
        var steps = new List<SetupStep>();
        void Add(string what, long number, params object?[] arguments) => steps.Add(new SetupStep(what, number, arguments));
        void AddMount(string? source, string target, string? type, MountFlags flags, string? data = null, SyscallStepFlags how = SyscallStepFlags.None) =>
            steps.Add(new SetupStep($"mount {source ?? type ?? ""} on {target}", Mount, [source, target, type, (long)flags, data], how));

        // Nothing we mount may propagate back to the host's mount namespace (seed 000's "secret" tmpfs).
        AddMount(null, "/", null, Recursive | Private);
        AddMount(root, root, null, Bind | Recursive);
        AddMount("proc", Target(root, "/proc"), "proc", NoSuid | NoDev | NoExec);
        AddDev(steps, Target(root, "/dev"), spec.Namespaces.HasFlag(NamespaceKind.User), AddMount);
        AddDevices(steps, Target(root, "/dev"), spec.Devices, spec.Namespaces.HasFlag(NamespaceKind.User), AddMount);
        AddSys(steps, Target(root, "/sys"), spec.Namespaces, AddMount);
        AddMount("tmpfs", Target(root, "/tmp"), "tmpfs", NoSuid | NoDev, "mode=1777");
        AddEtcFiles(root, stateDir, spec, AddMount); // before the user's mounts, so that one of theirs wins
        foreach (var mount in spec.Mounts)
        {
            var target = Target(root, mount.Destination, file: !Directory.Exists(mount.Source));
            AddMount(mount.Source, target, null, Bind | Recursive);
            if (mount.ReadOnly)
            {
                AddReadOnly(steps, target);
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
            AddMount(path, path, null, Bind | Recursive, how: SyscallStepFlags.MayBeMissing);
            AddReadOnly(steps, path, SyscallStepFlags.MayBeMissing);
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
        Add("open of the exec fifo", Openat, AtFdcwd, $"/proc/self/fd/{fifo}", 1 | 0x80000 /* O_WRONLY | O_CLOEXEC */);
        steps.Add(new SetupStep("write to the exec fifo", Write, [null, "0", 1], SyscallStepFlags.OnPreviousResult));
        return steps;
    }

    /// <summary>
    /// Makes a bind mount and everything mounted below it read-only. A remount with MS_REC does not reach the
    /// submounts, and in a user namespace it must repeat the locked nosuid/nodev/noexec flags or fail;
    /// mount_setattr(AT_RECURSIVE) sets the one attribute on the whole tree and leaves the others as they are.
    /// </summary>
    private static void AddReadOnly(List<SetupStep> steps, string path, SyscallStepFlags how = SyscallStepFlags.None, long attributes = MountAttrReadOnly)
    {
        var attr = new byte[32]; // struct mount_attr: attr_set, attr_clr, propagation, userns_fd
        BitConverter.TryWriteBytes(attr.AsSpan(0, 8), attributes);
        steps.Add(new SetupStep("mount_setattr (read-only) " + path, MountSetattr, [AtFdcwd, path, AtRecursive, attr, 32], how));
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

    private delegate void MountStep(string? source, string target, string? type, MountFlags flags, string? data = null, SyscallStepFlags how = SyscallStepFlags.None);

    private static void AddDev(List<SetupStep> steps, string dev, bool inUserNamespace, MountStep mount)
    {
        void Add(string what, long number, params object?[] arguments) => steps.Add(new SetupStep(what, number, arguments));
        mount("tmpfs", dev, "tmpfs", NoSuid | StrictAtime, "mode=755,size=65536k");
        foreach (var (name, major, minor) in DefaultNodes)
        {
            var node = Path.Combine(dev, name);
            if (inUserNamespace)
            {
                // A user namespace may not mknod; bind the host's node instead, as runc does for rootless.
                Add("create " + node, Openat, AtFdcwd, node, 1 | 0x40 | 0x80000 /* O_WRONLY | O_CREAT | O_CLOEXEC */, 0x1B6);
                mount("/dev/" + name, node, null, Bind);
            }
            else
            {
                Add("mknod " + node, Mknodat, AtFdcwd, node, 0x2000 /* S_IFCHR */ | 0x1B6, (major << 8) | minor);
                Add("chmod " + node, Fchmodat, AtFdcwd, node, 0x1B6, 0); // umask must not narrow the device modes
            }
        }
        Add("mkdir " + dev + "/pts", Mkdirat, AtFdcwd, dev + "/pts", 0x1ED);
        mount("devpts", dev + "/pts", "devpts", NoSuid | NoExec, "newinstance,ptmxmode=0666,mode=0620");
        Add("symlink " + dev + "/ptmx", Symlinkat, "pts/ptmx", AtFdcwd, dev + "/ptmx");
        Add("mkdir " + dev + "/shm", Mkdirat, AtFdcwd, dev + "/shm", 0x1ED);
        mount("shm", dev + "/shm", "tmpfs", NoSuid | NoDev | NoExec, "mode=1777,size=65536k");
        foreach (var (link, target) in new[] { ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2") })
        {
            Add($"symlink {dev}/{link}", Symlinkat, target, AtFdcwd, $"{dev}/{link}");
        }
    }

    /// <summary>
    /// The user's -Device nodes, made in the container's /dev (a tmpfs of its own, so the rootfs is not changed) with
    /// the host node's numbers and permission bits. Directories on the way (/dev/net for /dev/net/tun) are made
    /// first; one that exists already is fine.
    /// </summary>
    private static void AddDevices(List<SetupStep> steps, string dev, DeviceSpec[] devices, bool inUserNamespace, MountStep mount)
    {
        foreach (var device in devices)
        {
            var node = dev + device.ContainerPath["/dev".Length..];
            var parents = new Stack<string>();
            for (var parent = Path.GetDirectoryName(node)!; parent.Length > dev.Length; parent = Path.GetDirectoryName(parent)!)
            {
                parents.Push(parent);
            }
            foreach (var parent in parents)
            {
                steps.Add(new SetupStep("mkdir " + parent, Mkdirat, [AtFdcwd, parent, 0x1ED], SyscallStepFlags.MayFail));
            }
            if (inUserNamespace)
            {
                steps.Add(new SetupStep("create " + node, Openat, [AtFdcwd, node, 1 | 0x40 | 0x80000 /* O_WRONLY | O_CREAT | O_CLOEXEC */, 0x1B6]));
                mount(device.HostPath, node, null, Bind);
                continue;
            }
            var type = device.Type == DeviceType.Block ? 0x6000u /* S_IFBLK */ : 0x2000u /* S_IFCHR */;
            steps.Add(new SetupStep("mknod " + node, Mknodat, [AtFdcwd, node, type | device.Permissions, EncodeDevice(device.Major, device.Minor)]));
            steps.Add(new SetupStep("chmod " + node, Fchmodat, [AtFdcwd, node, device.Permissions, 0]));
        }
    }

    /// <summary>The kernel's new_encode_dev: the 32-bit device number mknod takes, for minors above 255 too.</summary>
    private static long EncodeDevice(uint major, uint minor) => (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);

    private static void AddSys(List<SetupStep> steps, string sys, NamespaceKind namespaces, MountStep mount)
    {
        if (namespaces.HasFlag(NamespaceKind.Net) || !namespaces.HasFlag(NamespaceKind.User))
        {
            mount("sysfs", sys, "sysfs", ReadOnly | NoSuid | NoDev | NoExec);
            return;
        }
        // sysfs belongs to the host's net namespace; a user namespace that shares it may only bind it, read-only.
        mount("/sys", sys, null, Bind | Recursive);
        AddReadOnly(steps, sys, attributes: MountAttrReadOnly | 0x2 | 0x4 | 0x8 /* NOSUID, NODEV, NOEXEC */);
    }

    /// <summary>
    /// The files the runtime writes for a container (its spec's EtcFiles, kept in the state directory) go to /etc/NAME
    /// without changing the rootfs: each is bind-mounted over the rootfs's file. A bind mount needs a file to mount on,
    /// and making one would change the rootfs, so when one is missing (a busybox rootfs has no /etc/hosts) /etc is
    /// first covered by an overlay whose upper layer, in the state directory, holds the missing mount points. The
    /// container's own writes to /etc then land in that layer as well, and go with the container.
    /// </summary>
    private static void AddEtcFiles(string root, string stateDir, ContainerSpec spec, MountStep mount)
    {
        if (spec.EtcFiles.Length == 0)
        {
            return;
        }
        // File.Exists is false for a dangling symlink too (resolv.conf -> a systemd stub): the upper layer's file covers it.
        var missing = spec.EtcFiles.Where(f => !File.Exists(SecurePath.Join(root, f.Destination))).ToArray();
        if (missing.Length > 0)
        {
            var etc = SecurePath.Join(root, "/etc");
            var upper = Path.Combine(stateDir, "etc", "upper");
            var work = Path.Combine(stateDir, "etc", "work");
            Directory.CreateDirectory(upper);
            Directory.CreateDirectory(work);
            foreach (var file in missing)
            {
                File.WriteAllBytes(Path.Combine(upper, Path.GetFileName(file.Destination)), []);
            }
            // In a user namespace overlayfs may not write trusted.* attributes; userxattr makes it use user.* ones.
            var options = $"lowerdir={etc},upperdir={upper},workdir={work}" + (spec.Namespaces.HasFlag(NamespaceKind.User) ? ",userxattr" : "");
            mount("overlay", etc, "overlay", spec.ReadOnlyRootFs ? ReadOnly : None, options);
        }
        foreach (var file in spec.EtcFiles)
        {
            mount(file.Source, SecurePath.Join(root, file.Destination), null, Bind);
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
