using System.Runtime.InteropServices;

namespace ContainerPS.Core.Interop;

/// <summary>
/// A failed system call: which call, on what (a path, a pid, a link name), and the errno the kernel gave.
/// The message reads like crun's: "mount /dev/pts: EPERM (Operation not permitted)".
/// </summary>
public class NativeException : Exception
{
    public NativeException(string syscall, string? target, int errno, string? hint = null)
        : base(Format(syscall, target, errno, hint))
    {
        Syscall = syscall;
        Target = target;
        Errno = errno;
    }

    public string Syscall { get; }
    public string? Target { get; }
    public int Errno { get; }
    public string ErrnoName => Interop.ErrnoName.Of(Errno);

    private static string Format(string syscall, string? target, int errno, string? hint)
    {
        var what = target is null ? syscall : $"{syscall} {target}";
        var text = $"{what}: {Interop.ErrnoName.Of(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})";
        return hint is null ? text : $"{text}. {hint}";
    }
}
