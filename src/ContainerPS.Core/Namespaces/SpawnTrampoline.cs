using System.Runtime.InteropServices;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// A few bytes of x86-64 machine code that do what posix_spawn does in C and C# cannot: clone3 with CLONE_VM and
/// CLONE_VFORK, so the child shares our memory instead of copying the page tables of a PowerShell process (2-3 ms
/// here), then run a list of prepared system calls in the child and end with execve. The parent sleeps in the
/// kernel until the child has exec'd or exited, as with vfork.
/// <para>
/// Why machine code: the child runs on a fresh stack in our address space; managed code there would meet a runtime
/// that believes it is the parent's thread. The loop touches no stack and no runtime, only the list and the result
/// slot, which the parent reads after clone3 returns: a failed step leaves its address and -errno there.
/// </para>
/// </summary>
internal static unsafe class SpawnTrampoline
{
    /// <summary>spawn(clone_args*, size, SyscallStep* steps, SpawnResult* result): the child's pid, or -errno of clone3.</summary>
    private static readonly byte[] Code =
    [
        0x49, 0x89, 0xd1,                         // mov r9, rdx           ; steps, kept across the syscall
        0x49, 0x89, 0xc8,                         // mov r8, rcx           ; result slot
        0xb8, 0xb3, 0x01, 0x00, 0x00,             // mov eax, 435          ; clone3
        0x0f, 0x05,                               // syscall
        0x48, 0x85, 0xc0,                         // test rax, rax
        0x75, 0x4b,                               // jnz done              ; the parent (or clone3 failed)
        0x4c, 0x89, 0xcb,                         // mov rbx, r9           ; the child, on its own stack
        0x4c, 0x89, 0xc5,                         // mov rbp, r8
        0x48, 0x8b, 0x03,                         // step: mov rax, [rbx]  ; number
        0x48, 0x8b, 0x7b, 0x08,                   // mov rdi, [rbx+8]      ; six arguments
        0x48, 0x8b, 0x73, 0x10,                   // mov rsi, [rbx+16]
        0x48, 0x8b, 0x53, 0x18,                   // mov rdx, [rbx+24]
        0x4c, 0x8b, 0x53, 0x20,                   // mov r10, [rbx+32]
        0x4c, 0x8b, 0x43, 0x28,                   // mov r8, [rbx+40]
        0x4c, 0x8b, 0x4b, 0x30,                   // mov r9, [rbx+48]
        0x0f, 0x05,                               // syscall
        0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff,       // cmp rax, -4095
        0x73, 0x06,                               // jae failed
        0x48, 0x83, 0xc3, 0x40,                   // next: add rbx, 64
        0xeb, 0xd5,                               // jmp step
        0xf6, 0x43, 0x38, 0x01,                   // failed: test byte [rbx+56], 1 ; may this step fail?
        0x75, 0xf4,                               // jnz next
        0x48, 0x89, 0x5d, 0x00,                   // mov [rbp], rbx        ; which step
        0x48, 0x89, 0x45, 0x08,                   // mov [rbp+8], rax      ; -errno
        0xb8, 0xe7, 0x00, 0x00, 0x00,             // mov eax, 231          ; exit_group(127)
        0xbf, 0x7f, 0x00, 0x00, 0x00,             // mov edi, 127
        0x0f, 0x05,                               // syscall
        0xc3,                                     // done: ret
    ];

    private static readonly Lazy<nint> Entry = new(TryLoad);

    /// <summary>
    /// x86-64 only, and only where a page may be made executable (a hardened host may forbid it); elsewhere the
    /// fork-like <see cref="CloneChild"/> does the same work, slower.
    /// </summary>
    public static bool Available => RuntimeInformation.ProcessArchitecture == Architecture.X64 && Entry.Value != 0;

    public static long Spawn(CloneArgs* args, SyscallStep* steps, SpawnResult* result) =>
        ((delegate* unmanaged<CloneArgs*, nuint, SyscallStep*, SpawnResult*, long>)Entry.Value)(args, (nuint)sizeof(CloneArgs), steps, result);

    /// <summary>Copies the code into a page of its own and makes it executable (and no longer writable); 0 if refused.</summary>
    private static nint TryLoad()
    {
        const int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
        var page = Tmds.Linux.LibC.mmap(null, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == (void*)-1)
        {
            return 0;
        }
        Code.CopyTo(new Span<byte>(page, Code.Length));
        if (Tmds.Linux.LibC.mprotect(page, 4096, PROT_READ | PROT_EXEC) != 0)
        {
            Tmds.Linux.LibC.munmap(page, 4096);
            return 0;
        }
        return (nint)page;
    }
}

/// <summary>One prepared system call for a child: number, six arguments, and <see cref="SyscallStepFlags"/>.</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal struct SyscallStep
{
    public long Number, A1, A2, A3, A4, A5, A6;
    public long Flags;
}

/// <summary>How a step's result is taken. The trampoline knows only <see cref="MayFail"/>; <see cref="CloneChild"/> all.</summary>
[Flags]
public enum SyscallStepFlags
{
    None = 0,

    /// <summary>Any error is ignored (a signal that cannot be reset, a capability past the kernel's last).</summary>
    MayFail = 1,

    /// <summary>ENOENT is ignored (a path to mask that this kernel does not have).</summary>
    MayBeMissing = 2,

    /// <summary>The first argument is the previous step's result (the descriptor an open or socket returned).</summary>
    OnPreviousResult = 4,
}

/// <summary>Written by the child only when a step that must succeed failed.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SpawnResult
{
    public SyscallStep* Failed;
    public long NegativeErrno;
}
