using ContainerPS.Core.Interop;
using static ContainerPS.Core.Interop.SyscallNumber;

namespace ContainerPS.Core.Containers;

/// <summary>
/// A container's step list being built (see <see cref="ContainerSetup"/> and <see cref="Oci.OciSetup"/>), with the
/// steps that reach a path inside the root by descriptor: opened with openat2 from the root (RESOLVE_IN_ROOT, no magic
/// links) onto a reserved number, then named as /proc/self/fd/N, so no path a co-tenant can swap is followed out.
/// </summary>
internal sealed class SetupPlan(List<SetupStep> steps, SetupDescriptors slots)
{
    // Paths in the steps after pivot_root are absolute: each *at call there takes AT_FDCWD.
    public const long AtFdcwd = -100, AtEmptyPath = 0x1000, AtRecursive = 0x8000;

    // mount_setattr's MOUNT_ATTR_* bits.
    public const long MountAttrReadOnly = 0x1, MountAttrNoSuid = 0x2, MountAttrNoDev = 0x4, MountAttrNoExec = 0x8;

    public List<SetupStep> Steps => steps;

    public SetupDescriptors Slots => slots;

    public void Add(SetupStep step) => steps.Add(step);

    /// <summary>struct mount_attr (attr_set, attr_clr, propagation, userns_fd) that sets <paramref name="attributes"/>.</summary>
    public static byte[] MountAttributes(long attributes)
    {
        var attr = new byte[32];
        BitConverter.TryWriteBytes(attr.AsSpan(0, 8), attributes);
        return attr;
    }

    /// <summary>
    /// Opens the root at its reserved descriptor, the one <see cref="Open"/> resolves from. After the root's bind on
    /// itself: a descriptor from before it would name the directory under the new mount.
    /// </summary>
    public void OpenRoot(string root)
    {
        steps.Add(new SetupStep("open " + root, Openat, [AtFdcwd, root, OpenFlags.PathOnly | OpenFlags.Directory | OpenFlags.CloseOnExec]));
        steps.Add(new SetupStep("dup3 (the root)", Dup3, [null, slots.Root, OpenFlags.CloseOnExec], SyscallStepFlags.OnPreviousResult));
    }

    /// <summary>
    /// Opens <paramref name="path"/> (as the container will see it) from the root descriptor, inside the root, at
    /// descriptor <paramref name="slot"/>, and returns the name a mount call reaches it by. The openat2 result
    /// itself stays open (close-on-exec) until the close_range before execve: a step cannot name it to close it.
    /// </summary>
    public string Open(string path, int slot)
    {
        var how = OpenFlags.InRoot(OpenFlags.PathOnly | OpenFlags.CloseOnExec);
        steps.Add(new SetupStep($"openat2 {path} (inside the root, no magic links)", Openat2, [slots.Root, path.TrimStart('/') is { Length: > 0 } relative ? relative : ".", how, how.Length]));
        steps.Add(new SetupStep($"dup3 ({path})", Dup3, [null, slot, OpenFlags.CloseOnExec], SyscallStepFlags.OnPreviousResult));
        return $"/proc/self/fd/{slot}";
    }

    /// <summary>Mounts on <paramref name="path"/> inside the root, opened by <see cref="Open"/>.</summary>
    public void MountInRoot(string? source, string path, string? type, MountFlags flags, string? data = null)
    {
        var target = Open(path, slots.Target);
        steps.Add(new SetupStep($"mount {source ?? type ?? ""} on {path}", Mount, [source, target, type, (long)flags, data]));
    }

    /// <summary>
    /// Makes the mount at <paramref name="path"/> and everything mounted below it read-only. A remount with MS_REC
    /// does not reach the submounts, and in a user namespace it must repeat the locked nosuid/nodev/noexec flags or
    /// fail; mount_setattr(AT_RECURSIVE) sets the one attribute on the whole tree and leaves the others as they are.
    /// The path is opened again: the descriptor from before the mount names the directory under it.
    /// </summary>
    public void ReadOnlyInRoot(string path, long attributes = MountAttrReadOnly)
    {
        Open(path, slots.Target);
        steps.Add(new SetupStep("mount_setattr (read-only) " + path, MountSetattr, [slots.Target, "", AtEmptyPath | AtRecursive, MountAttributes(attributes), 32]));
    }

    /// <summary>
    /// After pivot_root: <paramref name="path"/> bound on itself and made read-only with everything below it, if it
    /// exists (the kernel's /proc/sys and the like, as runc's readonlyPaths).
    /// </summary>
    public void ReadOnlyPath(string path)
    {
        steps.Add(new SetupStep($"mount {path} on {path}", Mount, [path, path, null, (long)(MountFlags.Bind | MountFlags.Recursive), null], SyscallStepFlags.MayBeMissing));
        steps.Add(new SetupStep("mount_setattr (read-only) " + path, MountSetattr, [AtFdcwd, path, AtRecursive, MountAttributes(MountAttrReadOnly), 32], SyscallStepFlags.MayBeMissing));
    }

    /// <summary>
    /// Makes a mount point in the child, one component at a time, each relative to its parent opened inside the root:
    /// a target below an earlier mount of the list (/dev/pts on the /dev tmpfs) exists only in the child's mount
    /// namespace. One there already is fine; the last component is a file for a file's bind mount.
    /// </summary>
    public void MakeMountPoint(string path, bool file)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var parent = "/" + string.Join('/', parts[..i]);
            Open(parent, slots.Tmpfs);
            var last = i == parts.Length - 1;
            steps.Add(last && file
                ? new SetupStep($"create {path}", Openat, [slots.Tmpfs, parts[i], OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0x1A4], SyscallStepFlags.MayFail)
                : new SetupStep($"mkdir /{string.Join('/', parts[..(i + 1)])}", Mkdirat, [slots.Tmpfs, parts[i], 0x1ED], SyscallStepFlags.MayFail));
        }
    }
}
