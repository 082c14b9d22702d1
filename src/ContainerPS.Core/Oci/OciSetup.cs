using System.Text;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Rootfs;
using ContainerPS.Core.Security;
using static ContainerPS.Core.Interop.MountFlags;
using static ContainerPS.Core.Interop.SyscallNumber;

namespace ContainerPS.Core.Oci;

/// <summary>
/// The setup steps of a container made from a bundle: config.json's mounts in their order (where the module's own
/// containers get a fixed /proc, /dev, /sys and /tmp, see <see cref="ContainerSetup"/>), the default /dev nodes on a
/// /dev tmpfs, /dev/console on a terminal, pivot_root (or, with --no-pivot, a move and chroot), sysctls, masked and
/// read-only paths, propagation, hostname and domain name, rlimits and umask; then "ready" and the wait on the exec
/// fifo. Every mount point is made in the child, component by component inside the root, so a target below an
/// earlier mount of the list (/dev/pts on the /dev tmpfs) is made where the container will see it.
/// </summary>
public static class OciSetup
{
    private const long AtFdcwd = SetupPlan.AtFdcwd;

    public static IReadOnlyList<SetupStep> Steps(OciConfig config, Cgroup cgroup, SetupDescriptors slots, int fifo, string? console, bool noPivot)
    {
        var root = config.RootPath;
        var userNamespace = config.NewNamespaces.HasFlag(NamespaceKind.User);
        var plan = new SetupPlan(steps: [], slots);
        void Add(string what, long number, params object?[] arguments) => plan.Add(new SetupStep(what, number, arguments));
        void AddMount(string? source, string target, string? type, MountFlags flags, string? data = null, SyscallStepFlags how = SyscallStepFlags.None) =>
            plan.Add(new SetupStep($"mount {source ?? type ?? ""} on {target}", SyscallNumber.Mount, [source, target, type, (long)flags, data], how));

        // Host mounts may still reach the container (rslave, the spec's default), but nothing flows back to the host.
        var propagation = config.RootfsPropagation ?? Slave | Recursive;
        AddMount(null, "/", null, Recursive | (propagation.HasFlag(Private) ? Private : Slave));
        AddMount(root, root, null, Bind | Recursive);
        plan.OpenRoot(root);

        foreach (var mount in config.Mounts)
        {
            plan.MakeMountPoint(mount.Destination, file: mount.Bind && File.Exists(mount.Source));
            if (mount.Type is "cgroup" or "cgroup2")
            {
                AddCgroupMount(plan, mount, cgroup);
                continue;
            }
            if (mount.Bind)
            {
                plan.MountInRoot(mount.Source, mount.Destination, null, mount.Flags);
                if (mount.BindAttributes != 0)
                {
                    plan.ReadOnlyInRoot(mount.Destination, mount.BindAttributes);
                }
            }
            else
            {
                plan.MountInRoot(mount.Source ?? mount.Type, mount.Destination, mount.Type, mount.Flags, mount.Data);
            }
            foreach (var change in mount.Propagation)
            {
                var target = plan.Open(mount.Destination, slots.Target);
                AddMount(null, target, null, change);
            }
            if (mount.Destination == "/dev" && mount.Type == "tmpfs")
            {
                ContainerSetup.AddDevNodes(plan, userNamespace);
                ContainerSetup.AddDevices(plan, config.Devices, userNamespace);
            }
        }
        if (console is not null)
        {
            // The terminal the process got as stdio, as runc gives it: /dev/console is that pty. Bound by its path in
            // our copy of the host's mounts: a bind from /proc/self/fd/0 would name the host namespace's devpts
            // mount, which mount(2) refuses from another mount namespace.
            plan.MakeMountPoint("/dev/console", file: true);
            plan.MountInRoot(console, "/dev/console", null, Bind);
        }

        // Masked before pivot_root, while "/dev/null" is the host's own node (in our copy of its mount namespace): after
        // it, the name would be the container's to choose, and an image's /dev/null -> /proc/sys/kernel/core_pattern
        // would bind the host's file over the masked path (runc's CVE-2025-31133). Targets are opened inside the root.
        foreach (var (path, seen) in config.MaskedPaths.Select(p => (p, HostView(root, p))).Where(m => Path.Exists(m.Item2)))
        {
            var target = plan.Open(path, slots.Target);
            if (Directory.Exists(seen))
            {
                AddMount("tmpfs", target, "tmpfs", ReadOnly);
            }
            else
            {
                AddMount("/dev/null", target, null, Bind);
            }
        }
        // runc makes a missing working directory; made here it is the rootfs's (or a mount's) as the container sees it.
        plan.MakeMountPoint(config.Process.Cwd, file: false);
        Add("chdir " + root, Chdir, root);
        if (noPivot)
        {
            // For roots pivot_root refuses (an initramfs): the old root stays reachable to whoever may chroot out.
            Add("move of the root onto /", SyscallNumber.Mount, ".", "/", null, (long)Move, null);
            Add("chroot", Chroot, ".");
        }
        else
        {
            Add("pivot_root", PivotRoot, ".", ".");
            AddMount(null, ".", null, Slave | Recursive);
            Add("umount2 of the old root", Umount2, ".", 2 /* MNT_DETACH */);
        }
        Add("chdir /", Chdir, "/");
        if (config.RootfsPropagation is { } chosen && !chosen.HasFlag(Private) && !chosen.HasFlag(Slave))
        {
            AddMount(null, "/", null, chosen);
        }

        foreach (var (key, value) in config.Sysctl)
        {
            var path = "/proc/sys/" + key.Replace('.', '/');
            Add("open " + path, Openat, AtFdcwd, path, OpenFlags.WriteOnly | OpenFlags.CloseOnExec);
            plan.Add(new SetupStep($"write {value} to {path}", SyscallNumber.Write, [null, value, Encoding.UTF8.GetByteCount(value)], SyscallStepFlags.OnPreviousResult));
        }
        foreach (var path in config.ReadonlyPaths)
        {
            plan.ReadOnlyPath(path);
        }
        if (config.RootReadOnly)
        {
            // mount_setattr, not a remount: in a user namespace a remount must repeat the locked flags or fail.
            plan.Add(new SetupStep("mount_setattr (read-only) /", MountSetattr, [AtFdcwd, "/", 0, SetupPlan.MountAttributes(SetupPlan.MountAttrReadOnly), 32]));
        }
        if (config.Hostname is { } hostname)
        {
            Add("sethostname " + hostname, Sethostname, hostname, Encoding.UTF8.GetByteCount(hostname));
        }
        if (config.Domainname is { } domain)
        {
            Add("setdomainname " + domain, Setdomainname, domain, Encoding.UTF8.GetByteCount(domain));
        }
        AddProcessLimits(plan, config.Process);
        if (Security.Capabilities.ClearInheritable(userNamespace) is { } capset)
        {
            plan.Add(capset);
        }
        plan.Add(SetupStep.Ready);
        Add("open of the exec fifo", Openat, AtFdcwd, $"/proc/self/fd/{fifo}", OpenFlags.WriteOnly | OpenFlags.CloseOnExec);
        plan.Add(new SetupStep("write to the exec fifo", SyscallNumber.Write, [null, "0", 1], SyscallStepFlags.OnPreviousResult));
        return plan.Steps;
    }

    /// <summary>The process's rlimits (prlimit64 on itself, inherited through execve) and umask.</summary>
    internal static void AddProcessLimits(SetupPlan plan, OciProcess process)
    {
        foreach (var (resource, soft, hard) in process.Rlimits)
        {
            var limit = new byte[16];
            BitConverter.TryWriteBytes(limit.AsSpan(0, 8), soft);
            BitConverter.TryWriteBytes(limit.AsSpan(8, 8), hard);
            plan.Add(new SetupStep($"prlimit64 {resource} {soft}:{hard}", Prlimit64, [0, resource, limit, null]));
        }
        if (process.Umask is { } mask)
        {
            plan.Add(new SetupStep($"umask {mask}", Umask, [mask]));
        }
    }

    /// <summary>Masked paths under /proc and /sys are the host's own files (one kernel); others are the rootfs's.</summary>
    private static string HostView(string root, string path) =>
        path.StartsWith("/proc/", StringComparison.Ordinal) || path.StartsWith("/sys/", StringComparison.Ordinal) ? path : SecurePath.Join(root, path);

    /// <summary>
    /// /sys/fs/cgroup as the container sees it: the container's own group of each hierarchy, bound in (a cgroup2-only
    /// host: the one group at the mount point; v1 or hybrid: a tmpfs with a directory per hierarchy, as runc gives it),
    /// read-only when the mount asks for ro. Nothing above the container's group is reachable through it.
    /// </summary>
    private static void AddCgroupMount(SetupPlan plan, OciMount mount, Cgroup cgroup)
    {
        var readOnly = mount.Flags.HasFlag(ReadOnly) ? SetupPlan.MountAttrReadOnly : 0;
        const long nosuid = SetupPlan.MountAttrNoSuid | SetupPlan.MountAttrNoDev | SetupPlan.MountAttrNoExec; // a cgroup file system has nothing to run
        var drivers = cgroup.Drivers;
        if (drivers.Count == 1 && drivers[0].Version == 2)
        {
            plan.MountInRoot(drivers[0].FullPath(cgroup.Path), mount.Destination, null, Bind);
            plan.ReadOnlyInRoot(mount.Destination, readOnly | nosuid);
            return;
        }
        plan.MountInRoot("tmpfs", mount.Destination, "tmpfs", NoSuid | NoDev | NoExec, "mode=755");
        foreach (var driver in drivers)
        {
            var name = Path.GetFileName(driver.MountPoint);
            plan.Open(mount.Destination, plan.Slots.Tmpfs);
            plan.Add(new SetupStep($"mkdir {mount.Destination}/{name}", Mkdirat, [plan.Slots.Tmpfs, name, 0x1ED]));
            plan.MountInRoot(driver.FullPath(cgroup.Path), $"{mount.Destination}/{name}", null, Bind);
        }
        plan.ReadOnlyInRoot(mount.Destination, readOnly | nosuid);
    }
}
