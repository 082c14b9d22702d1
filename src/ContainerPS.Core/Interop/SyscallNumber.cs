namespace ContainerPS.Core.Interop;

/// <summary>
/// The system calls the runtime makes by number: raw (those glibc 2.36 does not wrap, or wraps differently) and in a
/// clone child's step list. Each number is looked up by name in the running architecture's table (SyscallTable.*.cs),
/// which a test compares with the kernel headers, so no number is written twice. The step lists use only calls that
/// x86-64 and arm64 both have (openat, dup3, mkdirat, ...), so one list serves both tables.
/// </summary>
internal static class SyscallNumber
{
    public static long Read => Known("read");
    public static long Write => Known("write");
    public static long Close => Known("close");
    public static long Openat => Known("openat");
    public static long Openat2 => Known("openat2");
    public static long Ioctl => Known("ioctl");
    public static long Dup3 => Known("dup3");
    public static long CloseRange => Known("close_range");
    public static long Brk => Known("brk"); // raw, it returns the break itself; glibc's brk() returns only 0 or -1
    public static long RtSigaction => Known("rt_sigaction");
    public static long RtSigprocmask => Known("rt_sigprocmask");
    public static long Getpid => Known("getpid");
    public static long Execve => Known("execve");
    public static long Clone3 => Known("clone3");
    public static long Wait4 => Known("wait4");
    public static long Chdir => Known("chdir");
    public static long Fchdir => Known("fchdir");
    public static long Mkdirat => Known("mkdirat");
    public static long Mknodat => Known("mknodat");
    public static long Symlinkat => Known("symlinkat");
    public static long Fchmodat => Known("fchmodat");
    public static long Socket => Known("socket");
    public static long Setsid => Known("setsid");
    public static long Setgroups => Known("setgroups");
    public static long Setresuid => Known("setresuid");
    public static long Setresgid => Known("setresgid");
    public static long Capget => Known("capget");
    public static long Capset => Known("capset");
    public static long Prctl => Known("prctl");
    public static long Sethostname => Known("sethostname");
    public static long Setdomainname => Known("setdomainname");
    public static long Chroot => Known("chroot");
    public static long Prlimit64 => Known("prlimit64");
    public static long Umask => Known("umask");
    public static long Mount => Known("mount");
    public static long Umount2 => Known("umount2");
    public static long PivotRoot => Known("pivot_root");
    public static long MountSetattr => Known("mount_setattr");
    public static long Unshare => Known("unshare");
    public static long Setns => Known("setns");
    public static long Seccomp => Known("seccomp");
    public static long Bpf => Known("bpf");
    public static long PidfdOpen => Known("pidfd_open");
    public static long PidfdSendSignal => Known("pidfd_send_signal");
    public static long PidfdGetfd => Known("pidfd_getfd");
    public static long Ptrace => Known("ptrace");
    public static long OpenTree => Known("open_tree");
    public static long MoveMount => Known("move_mount");

    /// <summary>The running architecture's number for <paramref name="name"/>, or null where it has no such call.</summary>
    public static long? Of(string name) => SyscallTable.Native?.Of(name);

    private static long Known(string name) =>
        Of(name) ?? throw new PlatformNotSupportedException(SyscallTable.Native is null
            ? $"ContainerPS has no system call table for {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}; it runs on x86-64 and arm64."
            : $"The {SyscallTable.Native.Name} system call table has no '{name}'.");
}
