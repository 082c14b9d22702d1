using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Interop;

/// <summary>
/// Checked wrappers over the system calls the runtime makes: strings in, <see cref="NativeException"/> out.
/// Tmds.LibC supplies the bindings; the few calls it lacks go through its raw <c>syscall</c>.
/// </summary>
public static unsafe partial class Sys
{
    public static void Mount(string? source, string target, string? fstype, ulong flags, string? data = null)
    {
        fixed (byte* s = Utf8.Z(source), t = Utf8.Z(target), f = Utf8.Z(fstype), d = Utf8.Z(data))
        {
            Check.Result(mount(s, t, f, (ulong_t)flags, d), "mount", target);
        }
    }

    public static void Unmount(string target, int flags)
    {
        fixed (byte* t = Utf8.Z(target))
        {
            Check.Result(umount2(t, flags), "umount2", target);
        }
    }

    /// <summary>rmdir(2), which (unlike Directory.Delete) removes a cgroup directory; a missing one is not an error.</summary>
    public static void RemoveDirectory(string path)
    {
        fixed (byte* p = Utf8.Z(path))
        {
            if (rmdir(p) == -1 && Check.LastErrno != (int)Errno.ENOENT)
            {
                throw new NativeException("rmdir", path, Check.LastErrno);
            }
        }
    }

    public static void MakeFifo(string path, uint mode)
    {
        fixed (byte* p = Utf8.Z(path))
        {
            Check.Result(LibcCalls.MakeFifo(p, mode), "mkfifo", path);
        }
    }

    public static SafeFd Open(string path, int flags, uint mode = 0)
    {
        fixed (byte* p = Utf8.Z(path))
        {
            while (true)
            {
                var fd = LibcCalls.Open(p, flags | O_CLOEXEC, mode);
                if (fd != -1 || Check.LastErrno != (int)Errno.EINTR)
                {
                    return new SafeFd(Check.Result(fd, "open", path));
                }
            }
        }
    }

    /// <summary>Opens a path, or returns null when it does not exist.</summary>
    public static SafeFd? TryOpen(string path, int flags)
    {
        fixed (byte* p = Utf8.Z(path))
        {
            var fd = LibcCalls.Open(p, flags | O_CLOEXEC, 0);
            if (fd == -1 && Check.LastErrno == (int)Errno.ENOENT)
            {
                return null;
            }
            return new SafeFd(Check.Result(fd, "open", path));
        }
    }

    /// <summary>A close-on-exec copy of a descriptor at the lowest free number from <paramref name="lowest"/> up.</summary>
    public static SafeFd Duplicate(int fd, int lowest = 0) =>
        new(Check.Result(fcntl(fd, F_DUPFD_CLOEXEC, lowest), "fcntl(F_DUPFD_CLOEXEC)", fd.ToString()));

    /// <summary>Makes <paramref name="target"/> (0, 1, 2) a copy of <paramref name="source"/>, closing what it was.</summary>
    public static void DuplicateOnto(SafeFd source, int target)
    {
        while (dup2(source.Value, target) == -1)
        {
            if (Check.LastErrno != (int)Errno.EINTR)
            {
                throw new NativeException("dup2", target.ToString(), Check.LastErrno);
            }
        }
    }

    public static (SafeFd Read, SafeFd Write) Pipe()
    {
        int* fds = stackalloc int[2];
        Check.Result(pipe2(fds, O_CLOEXEC), "pipe2");
        return (new SafeFd(fds[0]), new SafeFd(fds[1]));
    }

    /// <summary>Sends a signal; false when the process no longer exists.</summary>
    public static bool TryKill(int pid, int signal)
    {
        if (kill(pid, signal) == 0)
        {
            return true;
        }
        if (Check.LastErrno == (int)Errno.ESRCH)
        {
            return false;
        }
        throw new NativeException("kill", pid.ToString(), Check.LastErrno);
    }

    public static void SetSid() => Check.Result(setsid(), "setsid");

    public static void Prctl(int option, ulong arg2, ulong arg3 = 0, ulong arg4 = 0)
    {
        Check.Result(RawSyscall.Invoke(SyscallNumber.Prctl, option, (long)arg2, (long)arg3, (long)arg4, 0), "prctl", option.ToString());
    }

    /// <summary>The current end of this process's data segment (brk(0) changes nothing and returns it).</summary>
    public static ulong CurrentBreak() => (ulong)RawSyscall.Invoke(SyscallNumber.Brk, 0);

    /// <summary>A pidfd: a handle on a process that cannot be confused with a later one reusing its pid.</summary>
    public static SafeFd? TryOpenPidfd(int pid)
    {
        var fd = RawSyscall.Invoke(SyscallNumber.PidfdOpen, pid);
        if (fd == -1 && Check.LastErrno == (int)Errno.ESRCH)
        {
            return null;
        }
        return new SafeFd((int)Check.Result(fd, "pidfd_open", pid.ToString()));
    }

    /// <summary>Gives <paramref name="path"/> (not what a symlink there points to) to <paramref name="uid"/>:<paramref name="gid"/>.</summary>
    public static void Chown(string path, uint uid, uint gid)
    {
        fixed (byte* p = Utf8.Z(path))
        {
            Check.Result(lchown(p, uid, gid), "lchown", path);
        }
    }

    /// <summary>A detached copy of the mount tree at <paramref name="path"/> and below (open_tree OPEN_TREE_CLONE, AT_RECURSIVE).</summary>
    public static SafeFd OpenTree(string path)
    {
        const long OpenTreeClone = 1, OpenTreeCloexec = 0x80000, AtRecursive = 0x8000;
        fixed (byte* p = Utf8.Z(path))
        {
            return new SafeFd((int)Check.Result(RawSyscall.Invoke(SyscallNumber.OpenTree, -100 /* AT_FDCWD */, (long)p, OpenTreeClone | OpenTreeCloexec | AtRecursive), "open_tree", path));
        }
    }

    /// <summary>Makes the detached tree <paramref name="tree"/> show file owners through the mapping of <paramref name="userns"/> (MOUNT_ATTR_IDMAP).</summary>
    public static void SetIdMapping(SafeFd tree, SafeFd userns)
    {
        const long AtEmptyPath = 0x1000, AtRecursive = 0x8000, MountAttrIdmap = 0x100000;
        var attr = stackalloc long[4]; // struct mount_attr: attr_set, attr_clr, propagation, userns_fd
        attr[0] = MountAttrIdmap;
        attr[1] = 0;
        attr[2] = 0;
        attr[3] = userns.Value;
        var empty = stackalloc byte[1];
        empty[0] = 0;
        Check.Result(RawSyscall.Invoke(SyscallNumber.MountSetattr, tree.Value, (long)empty, AtEmptyPath | AtRecursive, (long)attr, 32), "mount_setattr(MOUNT_ATTR_IDMAP)", tree.Value.ToString());
    }

    /// <summary>Sends <paramref name="signal"/> to the process behind <paramref name="pidfd"/>; false when it has ended.</summary>
    public static bool TrySignal(SafeFd pidfd, int signal) =>
        RawSyscall.Invoke(SyscallNumber.PidfdSendSignal, pidfd.Value, signal, 0) == 0;

    /// <summary>A copy, in this process, of descriptor <paramref name="fd"/> of the process behind <paramref name="pidfd"/> (close-on-exec).</summary>
    public static SafeFd TakeDescriptor(SafeFd pidfd, int fd) =>
        new((int)Check.Result(RawSyscall.Invoke(SyscallNumber.PidfdGetfd, pidfd.Value, fd, 0), "pidfd_getfd", fd.ToString()));

    /// <summary>
    /// Traces <paramref name="pid"/> from the calling thread without stopping it (PTRACE_SEIZE): its stops and its end
    /// are then reported to this thread's wait4, whoever its parent is. False when the kernel refuses (EPERM, ESRCH).
    /// </summary>
    public static bool TrySeize(int pid) => RawSyscall.Invoke(SyscallNumber.Ptrace, 0x4206 /* PTRACE_SEIZE */, pid, 0) == 0;

    /// <summary>Resumes a stopped tracee, delivering <paramref name="signal"/> (0 for none).</summary>
    public static void ContinueTracee(int pid, int signal) =>
        Check.Result(RawSyscall.Invoke(SyscallNumber.Ptrace, 7 /* PTRACE_CONT */, pid, 0, signal, 0), "ptrace(PTRACE_CONT)", pid.ToString());

    /// <summary>The user this process acts as (0: root).</summary>
    public static uint EffectiveUid => geteuid();

    public static bool IsRoot => EffectiveUid == 0;

    public static uint EffectiveGid => getegid();

    /// <summary>Whether this process may write into <paramref name="path"/> (access(2) W_OK, by its real ids).</summary>
    public static bool CanWrite(string path)
    {
        fixed (byte* p = Utf8.Z(path))
        {
            return access(p, W_OK) == 0;
        }
    }

    /// <summary>The pid of the process that started this one (or adopted it since).</summary>
    public static int ParentPid => getppid();

    /// <summary>Whether this process has descriptor <paramref name="fd"/> open.</summary>
    public static bool IsOpen(int fd) => fcntl(fd, F_GETFD) != -1;

    /// <summary>Clears O_NONBLOCK: a descriptor opened non-blocking (so that opening it could not hang) reads as usual after.</summary>
    public static void SetBlocking(SafeFd fd)
    {
        var flags = Check.Result(fcntl(fd.Value, F_GETFL), "fcntl(F_GETFL)");
        Check.Result(fcntl(fd.Value, F_SETFL, flags & ~O_NONBLOCK), "fcntl(F_SETFL)");
    }

    /// <summary>Sets one of this process's resource limits (setrlimit(2)); the children it starts inherit it.</summary>
    public static void SetResourceLimit(int resource, ulong soft, ulong hard)
    {
        var limit = stackalloc ulong[2] { soft, hard };
        Check.Result(LibcCalls.SetResourceLimit(resource, limit), "setrlimit", resource.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Sets this process's umask; the children it starts inherit it.</summary>
    public static void SetUmask(uint mask) => LibcCalls.Umask(mask);

    /// <summary>Waits until the fd is readable (a pidfd: the process exited); false on timeout.</summary>
    public static bool PollReadable(SafeFd fd, int timeoutMs)
    {
        var pfd = new pollfd { fd = fd.Value, events = POLLIN };
        while (true)
        {
            var rc = LibcCalls.Poll(&pfd, 1, timeoutMs);
            if (rc == -1 && Check.LastErrno == (int)Errno.EINTR)
            {
                continue;
            }
            Check.Result(rc, "poll");
            return rc > 0;
        }
    }

    /// <summary>Reaps one child. Returns (pid, raw wait status), or (0, 0) when none is ready without blocking.</summary>
    public static (int Pid, int Status) Wait(int pid, bool block)
    {
        int status = 0;
        const int WNOHANG = 1, WALL = 0x40000000;
        while (true)
        {
            var rc = RawSyscall.Invoke(SyscallNumber.Wait4, pid, (long)&status, block ? WALL : WNOHANG | WALL);
            if (rc == -1 && Check.LastErrno == (int)Errno.EINTR)
            {
                continue;
            }
            return ((int)Check.Result(rc, "wait4", pid.ToString()), status);
        }
    }

    /// <summary>One write(2); <paramref name="target"/> names the file in the error, as a kernel refusal of a control file needs it.</summary>
    public static int Write(SafeFd fd, ReadOnlySpan<byte> data, string? target = null)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                var rc = (int)write(fd.Value, p, data.Length);
                if (rc != -1 || Check.LastErrno != (int)Errno.EINTR)
                {
                    return Check.Result(rc, "write", target);
                }
            }
        }
    }

    public static int Read(SafeFd fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var rc = (int)read(fd.Value, p, buffer.Length);
                if (rc != -1 || Check.LastErrno != (int)Errno.EINTR)
                {
                    return Check.Result(rc, "read");
                }
            }
        }
    }

    /// <summary>stat(2), symlinks followed; false when the path cannot be stat'ed (missing, no permission).</summary>
    public static bool TryStat(string path, out stat st)
    {
        fixed (byte* p = Utf8.Z(path))
        fixed (stat* s = &st)
        {
            return stat(p, s) == 0;
        }
    }

    /// <summary>lstat(2)'s owner and permission bits of a directory; false when it is missing or not a directory.</summary>
    public static bool TryLstat(string path, out uint owner, out uint mode)
    {
        owner = mode = 0;
        if (!TryLstat(path, out stat st) || ((uint)st.st_mode & 0xF000) != 0x4000 /* S_IFDIR */)
        {
            return false;
        }
        (owner, mode) = ((uint)st.st_uid, (uint)st.st_mode & 0xFFF);
        return true;
    }

    /// <summary>fstat(2); false when the descriptor cannot be stat'ed.</summary>
    public static bool TryStat(SafeFd fd, out stat st)
    {
        fixed (stat* s = &st)
        {
            return fstat(fd.Value, s) == 0;
        }
    }

    /// <summary>setns(2) into the namespace open at <paramref name="fd"/>; <paramref name="kind"/> names it in the error.</summary>
    public static void SetNamespace(int fd, int type, string kind) => Check.Result(setns(fd, type), "setns", kind);
}
