using System.Runtime.InteropServices;

namespace ContainerPS.Core.Interop;

/// <summary>
/// glibc's variadic <c>syscall</c> with plain 64-bit arguments (the x86-64 and Linux arm64 ABIs pass variadic
/// integers in registers as they do fixed ones, so declaring six fixed longs is safe there),
/// for the calls glibc 2.36 does not wrap.
/// </summary>
internal static partial class RawSyscall
{
    [LibraryImport("libc.so.6", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Invoke(long number, long a1, long a2, long a3, long a4, long a5);

    public static long Invoke(long number, long a1 = 0, long a2 = 0, long a3 = 0) => Invoke(number, a1, a2, a3, 0, 0);
}
