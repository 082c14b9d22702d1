using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Cgroups;

/// <summary>
/// The kernel refused a write to a cgroup control file. The kernel's own word is only an errno, so this keeps it
/// (<see cref="Errno"/>, and the <see cref="NativeException"/> inside) with the file, the value and, where the driver
/// knows it, what would have been accepted; the errno names the refusal (ErrorId) and its kind (ErrorCategory).
/// </summary>
public sealed class CgroupWriteRefusedException : ContainerPSException
{
    public CgroupWriteRefusedException(string file, string value, NativeException refusal, string? valid)
        : base(ReasonOf(refusal.Errno), KindOf(refusal.Errno), MessageOf(file, value, refusal, valid), inner: refusal)
    {
        File = file;
        Value = value;
        Errno = refusal.Errno;
    }

    /// <summary>The control file's full path, e.g. /sys/fs/cgroup/cpuset/containerps/web/cpuset.cpus.</summary>
    public string File { get; }

    /// <summary>What was written.</summary>
    public string Value { get; }

    public int Errno { get; }

    public string ErrnoName => Interop.ErrnoName.Of(Errno);

    private static string ReasonOf(int errno) => (Interop.Errno)errno switch
    {
        Interop.Errno.EINVAL or Interop.Errno.ERANGE => "CgroupValueInvalid",
        Interop.Errno.EBUSY => "CgroupResourceBusy",
        Interop.Errno.EPERM or Interop.Errno.EACCES => "CgroupWriteDenied",
        Interop.Errno.ENOENT => "CgroupFileNotFound",
        Interop.Errno.ESRCH => "ProcessNotFound",
        _ => "CgroupWriteRefused",
    };

    private static string MessageOf(string file, string value, NativeException refusal, string? valid)
    {
        var text = $"The kernel refused '{value}' for {file}: {refusal.ErrnoName} ({System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(refusal.Errno)}).";
        return valid is null ? text : $"{text} {valid}";
    }
}
