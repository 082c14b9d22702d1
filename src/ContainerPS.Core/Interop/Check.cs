using System.Runtime.InteropServices;

namespace ContainerPS.Core.Interop;

/// <summary>
/// The one place that turns a failed libc return value into a <see cref="NativeException"/>.
/// Callers pass the raw result; errno is read here, right after the call, and nowhere else.
/// </summary>
public static class Check
{
    public static int Result(int result, string syscall, string? target = null)
    {
        if (result == -1)
        {
            throw new NativeException(syscall, target, Marshal.GetLastPInvokeError());
        }
        return result;
    }

    public static long Result(long result, string syscall, string? target = null)
    {
        if (result == -1)
        {
            throw new NativeException(syscall, target, Marshal.GetLastPInvokeError());
        }
        return result;
    }

    /// <summary>The errno of the last failed call, for callers that treat some errors as answers (ENOENT, EEXIST).</summary>
    public static int LastErrno => Marshal.GetLastPInvokeError();
}
