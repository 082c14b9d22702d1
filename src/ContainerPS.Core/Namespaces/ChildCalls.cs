using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// The only kernel entry points the clone child uses: glibc's syscall() and errno, bound before the clone and
/// called without a GC transition (the child must never wait for a runtime that does not exist in it).
/// </summary>
internal static unsafe class ChildCalls
{
    public const long Read = 0, Write = 1, Close = 3, RtSigaction = 13, RtSigprocmask = 14, Ioctl = 16, Dup2 = 33, Execve = 59, Fcntl = 72, Chdir = 80,
        Setsid = 112, Setgroups = 116, Setresuid = 117, Setresgid = 119, Prctl = 157, ExitGroup = 231, Unshare = 272, Setns = 308, Clone3 = 435;

    [DllImport("libc.so.6", EntryPoint = "syscall")]
    [SuppressGCTransition]
    public static extern long Syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    [DllImport("libc.so.6", EntryPoint = "__errno_location")]
    [SuppressGCTransition]
    private static extern int* ErrnoLocation();

    public static int Errno => *ErrnoLocation();

    /// <summary>Resolves both imports (and, under a JIT, compiles the child's code) while the process is still whole.</summary>
    public static void Bind()
    {
        if (_bound)
        {
            return;
        }
        Syscall(39 /* getpid */, 0, 0, 0, 0, 0, 0);
        _ = Errno;
        foreach (var method in typeof(CloneChild).GetMethods(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static))
        {
            if (!method.ContainsGenericParameters)
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }
        _bound = true;
    }

    private static bool _bound;
}
