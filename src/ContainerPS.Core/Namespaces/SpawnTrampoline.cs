using System.Runtime.InteropServices;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// A few bytes of x86-64 machine code that run a child's whole life before execve: clone3, then in the child a list
/// of prepared system calls. Managed code must not run in a child of a .NET process: the runtime's other threads are
/// not there, and the first GC poll after a garbage collection was requested (it may have been, at the instant of the
/// clone) would wait for them forever. In a vfork-like child (CLONE_VM) it would also meet a runtime that believes it
/// is the parent's thread. The loop touches no stack and no runtime: only the step list and a result block.
/// <para>
/// The steps end with a row numbered <see cref="SyscallStep.EndNumber"/>. A failed step (or that end row, with
/// errno 0) leaves its address and -errno in the result block and, where the block names a report descriptor,
/// writes those 16 bytes there (a fork-like child's memory is its own, so the parent learns it through a pipe);
/// then the child exits 127. What a step's failure means is in <see cref="SyscallStepFlags"/>.
/// </para>
/// </summary>
internal static unsafe class SpawnTrampoline
{
    /// <summary>
    /// spawn(clone_args*, size, SyscallStep* steps, SpawnResult* result): the child's pid, or -errno of clone3.
    /// Assembled from SpawnTrampoline.x86_64.S, which a test assembles and compares with these bytes.
    /// </summary>
    internal static readonly byte[] X86_64Code =
    [
        0x49, 0x89, 0xd1,                         // mov r9, rdx           ; steps, kept across the syscall
        0x49, 0x89, 0xc8,                         // mov r8, rcx           ; result block
        0xb8, 0xb3, 0x01, 0x00, 0x00,             // mov eax, 435          ; clone3
        0x0f, 0x05,                               // syscall
        0x48, 0x85, 0xc0,                         // test rax, rax
        0x0f, 0x85, 0x8f, 0x00, 0x00, 0x00,       // jnz done              ; the parent (or clone3 failed)
        0x4c, 0x89, 0xcb,                         // mov rbx, r9           ; the child
        0x4c, 0x89, 0xc5,                         // mov rbp, r8
        0x45, 0x31, 0xe4,                         // xor r12d, r12d        ; the previous step's result
        0x48, 0x8b, 0x03,                         // step: mov rax, [rbx]  ; number
        0x48, 0x83, 0xf8, 0xff,                   // cmp rax, -1           ; the end of the list?
        0x74, 0x7e,                               // je end
        0x48, 0x8b, 0x7b, 0x08,                   // mov rdi, [rbx+8]      ; six arguments
        0xf6, 0x43, 0x38, 0x04,                   // test byte [rbx+56], 4 ; OnPreviousResult?
        0x74, 0x03,                               // jz 1f
        0x4c, 0x89, 0xe7,                         // mov rdi, r12
        0x48, 0x8b, 0x73, 0x10,                   // 1: mov rsi, [rbx+16]
        0x48, 0x8b, 0x53, 0x18,                   // mov rdx, [rbx+24]
        0x4c, 0x8b, 0x53, 0x20,                   // mov r10, [rbx+32]
        0x4c, 0x8b, 0x43, 0x28,                   // mov r8, [rbx+40]
        0x4c, 0x8b, 0x4b, 0x30,                   // mov r9, [rbx+48]
        0x0f, 0x05,                               // syscall
        0x49, 0x89, 0xc4,                         // mov r12, rax
        0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff,       // cmp rax, -4095
        0x73, 0x11,                               // jae failed
        0xf6, 0x43, 0x38, 0x08,                   // test byte [rbx+56], 8 ; MustReturnData?
        0x74, 0x05,                               // jz next
        0x48, 0x85, 0xc0,                         // test rax, rax
        0x7e, 0x18,                               // jle fatal             ; 0: end of file
        0x48, 0x83, 0xc3, 0x40,                   // next: add rbx, 64
        0xeb, 0xb8,                               // jmp step
        0xf6, 0x43, 0x38, 0x01,                   // failed: test byte [rbx+56], 1 ; MayFail?
        0x75, 0xf4,                               // jnz next
        0xf6, 0x43, 0x38, 0x02,                   // test byte [rbx+56], 2 ; MayBeMissing?
        0x74, 0x06,                               // jz fatal
        0x48, 0x83, 0xf8, 0xfe,                   // cmp rax, -2           ; ENOENT
        0x74, 0xe8,                               // je next
        0x48, 0x89, 0x5d, 0x00,                   // fatal: mov [rbp], rbx ; which step
        0x48, 0x89, 0x45, 0x08,                   // mov [rbp+8], rax      ; -errno (0: end of file, or the end of the list)
        0x48, 0x8b, 0x7d, 0x10,                   // mov rdi, [rbp+16]     ; report descriptor
        0x48, 0x85, 0xff,                         // test rdi, rdi
        0x78, 0x0f,                               // js exit
        0xb8, 0x01, 0x00, 0x00, 0x00,             // mov eax, 1            ; write(report, block, 16)
        0x48, 0x89, 0xee,                         // mov rsi, rbp
        0xba, 0x10, 0x00, 0x00, 0x00,             // mov edx, 16
        0x0f, 0x05,                               // syscall
        0xb8, 0xe7, 0x00, 0x00, 0x00,             // exit: mov eax, 231    ; exit_group(127)
        0xbf, 0x7f, 0x00, 0x00, 0x00,             // mov edi, 127
        0x0f, 0x05,                               // syscall
        0xc3,                                     // done: ret
        0x31, 0xc0,                               // end: xor eax, eax     ; ran out of steps without an execve: errno 0
        0xeb, 0xcf,                               // jmp fatal
    ];

    private static readonly Lazy<nint> Entry = new(TryLoad);

    /// <summary>
    /// x86-64 only, and only where a page may be made executable (a hardened host may forbid it). There is no other
    /// way to start a child: without the trampoline <see cref="CloneChild"/> throws PlatformNotSupportedException.
    /// </summary>
    public static bool Available => RuntimeInformation.ProcessArchitecture == Architecture.X64 && Entry.Value != 0;

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

    /// <summary>Copies the code into a page of its own and makes it executable (and no longer writable); 0 if refused.</summary>
    private static nint TryLoad()
    {
        const int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
        var page = Tmds.Linux.LibC.mmap(null, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == (void*)-1)
        {
            return 0;
        }
        X86_64Code.CopyTo(new Span<byte>(page, X86_64Code.Length));
        if (Tmds.Linux.LibC.mprotect(page, 4096, PROT_READ | PROT_EXEC) != 0)
        {
            Tmds.Linux.LibC.munmap(page, 4096);
            return 0;
        }
        return (nint)page;
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
/// with <see cref="Failed"/> = <see cref="ReadyMark"/>); <see cref="ReportFd"/> is where it is sent, or -1.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SpawnResult
{
    public const long ReadyMark = 1;

    public SyscallStep* Failed;
    public long NegativeErrno;
    public long ReportFd;
}
