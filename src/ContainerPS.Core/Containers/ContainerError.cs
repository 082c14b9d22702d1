namespace ContainerPS.Core.Containers;

/// <summary>The kind of a failure, which the cmdlets map to a PowerShell ErrorCategory.</summary>
public enum FailureKind
{
    InvalidArgument,
    ObjectNotFound,
    ResourceExists,
    InvalidOperation,
    ResourceUnavailable,
    OperationTimeout,
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
}
