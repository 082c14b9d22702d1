namespace ContainerPS.Core.Interop;

/// <summary>
/// x86_64 numbers of the system calls that glibc 2.36 has no wrapper for (pivot_root, pidfd_open)
/// or that must be made raw (clone with fork semantics from the shim, see <see cref="Namespaces.CloneChild"/>).
/// </summary>
internal static partial class SyscallNumber
{
    public const long Brk = 12; // raw, it returns the break itself; glibc's brk() returns only 0 or -1
    public const long RtSigaction = 13;
    public const long RtSigprocmask = 14;
    public const long Clone = 56;
    public const long Wait4 = 61;
    public const long Capget = 125;
    public const long Capset = 126;
    public const long PivotRoot = 155;
    public const long Prctl = 157;
    public const long Bpf = 321;
    public const long PidfdOpen = 434;
    public const long PidfdSendSignal = 424;
}
