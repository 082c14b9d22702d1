
namespace ContainerPS.Core.Interop;

/// <summary>The kind of a failure, which the cmdlets map to a PowerShell ErrorCategory.</summary>
public enum FailureKind
{
    InvalidArgument,
    ObjectNotFound,
    ResourceExists,
    InvalidOperation,
    ResourceUnavailable,
    OperationTimeout,
    PermissionDenied,
    ResourceBusy,
    /// <summary>A record the store holds cannot be read (truncated, not JSON, a member missing).</summary>
    InvalidData,
}

/// <summary>
/// A failure the user can act on: <see cref="Reason"/> becomes the ErrorId (ContainerNotFound, RootFsMissing),
/// the message says what was wrong, with which value, and what would be valid.
/// </summary>
public class ContainerPSException : Exception
{
    public ContainerPSException(string reason, FailureKind kind, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        Kind = kind;
        Target = target;
    }

    public string Reason { get; }
    public FailureKind Kind { get; }
    public object? Target { get; }

    /// <summary>What an errno says about the failure, so a kernel refusal keeps its meaning (EBUSY is busy, EPERM denied).</summary>
    public static FailureKind KindOf(int errno) => (Errno)errno switch
    {
        Errno.EPERM or Errno.EACCES => FailureKind.PermissionDenied,
        Errno.ENOENT or Errno.ESRCH or Errno.ENODEV => FailureKind.ObjectNotFound,
        Errno.EEXIST => FailureKind.ResourceExists,
        Errno.EBUSY => FailureKind.ResourceBusy,
        Errno.EINVAL or Errno.ERANGE => FailureKind.InvalidArgument,
        Errno.ENOSPC or Errno.ENOMEM or Errno.EAGAIN => FailureKind.ResourceUnavailable,
        _ => FailureKind.InvalidOperation,
    };
}
