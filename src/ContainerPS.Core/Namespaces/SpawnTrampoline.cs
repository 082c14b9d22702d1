using System.Runtime.InteropServices;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// A few bytes of machine code (x86-64 or arm64) that run a child's whole life before execve: clone3, then in the child a list
/// of prepared system calls. Managed code must not run in a child of a .NET process: the runtime's other threads are
/// not there, and the first GC poll after a garbage collection was requested (it may have been, at the instant of the
/// clone) would wait for them forever. In a vfork-like child (CLONE_VM) it would also meet a runtime that believes it
/// is the parent's thread. The loop touches no stack and no runtime: only the step list and a result block.
/// <para>
/// The steps end with a row numbered <see cref="SyscallStep.EndNumber"/>. A failed step (or that end row, with
/// errno 0) leaves its address and -errno in the result block and, where the block names a report descriptor,
/// writes those 16 bytes there (a fork-like child's memory is its own, so the parent learns it through a pipe);
/// then the child exits 127. What a step's failure means is in <see cref="SyscallStepFlags"/>. A clone3 row flagged
/// <see cref="SyscallStepFlags.ParentReports"/> uses the same block the other way: in the process that called it, the
/// row's address and the new pid are written there and that process exits 0; the new process goes on with the list.
/// </para>
/// </summary>
internal static unsafe partial class SpawnTrampoline
{
    /// <summary>spawn(clone_args*, size, SyscallStep* steps, SpawnResult* result): the child's pid, or -errno of clone3.</summary>
    private static byte[]? Code => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => X86_64Code,
        Architecture.Arm64 => Aarch64Code,
        _ => null,
    };

    private static readonly Lazy<nint> Entry = new(() => Code is { } code ? Sys.TryMapExecutable(code) : 0);

    /// <summary>
    /// On x86-64 and arm64, where a page may be made executable (a hardened host may forbid it). There is no other
    /// way to start a child: without the trampoline <see cref="CloneChild"/> throws PlatformNotSupportedException.
    /// </summary>
    public static bool Available => Entry.Value != 0;

    /// <summary>
    /// Runs clone3 and, in the child, the steps. No signal may reach the child before it has put back the default
    /// handlers, so this thread blocks them all around the clone (the child inherits the mask and empties it itself).
    /// </summary>
    public static long SpawnBlockingSignals(CloneArgs* args, SyscallStep* steps, SpawnResult* result)
    {
        ulong all = ulong.MaxValue, previous = 0;
        RawSyscall.Invoke(SyscallNumber.RtSigprocmask, 2 /* SIG_SETMASK */, (long)&all, (long)&previous, 8, 0);
        try
        {
            return ((delegate* unmanaged<CloneArgs*, nuint, SyscallStep*, SpawnResult*, long>)Entry.Value)(args, (nuint)sizeof(CloneArgs), steps, result);
        }
        finally
        {
            RawSyscall.Invoke(SyscallNumber.RtSigprocmask, 2 /* SIG_SETMASK */, (long)&previous, 0, 8, 0);
        }
    }
}

/// <summary>
/// One prepared system call for a child: number, six arguments, and <see cref="SyscallStepFlags"/>. A row whose
/// number is <see cref="EndNumber"/> ends the list: the loop stops there, reporting it as a failed row with errno 0,
/// so a list that runs out (an execve that was never added) fails plainly instead of running into the next memory.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal struct SyscallStep
{
    public const long EndNumber = -1;

    public static SyscallStep End => new() { Number = EndNumber };

    public long Number, A1, A2, A3, A4, A5, A6;
    public long Flags;
}

/// <summary>
/// Written by the child when a step that must succeed failed (and by a prepared report step, which writes a copy
/// with <see cref="Failed"/> = <see cref="ReadyMark"/>, and by the parent side of a ParentReports row, with the new
/// pid in <see cref="NegativeErrno"/>); <see cref="ReportFd"/> is where it is sent, or -1.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SpawnResult
{
    public const long ReadyMark = 1;

    public SyscallStep* Failed;
    public long NegativeErrno;
    public long ReportFd;
}
