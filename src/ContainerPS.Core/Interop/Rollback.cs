namespace ContainerPS.Core.Interop;

/// <summary>
/// Records each host change as it is made, with the way to undo it. <see cref="Run{T}"/> undoes everything in
/// reverse order when the operation fails, so a failed create leaves nothing behind; and when an undo fails too,
/// the operation's own failure still propagates, unchanged, with the rollback's failures attached to it
/// (<see cref="FailuresAttachedTo"/>): the cause comes first, the trouble cleaning up second.
/// </summary>
public sealed class Rollback
{
    private const string FailuresKey = "ContainerPS.RollbackFailures";

    private readonly Stack<(string What, Action Undo)> _undo = new();

    private Rollback()
    {
    }

    public void Add(string what, Action undo) => _undo.Push((what, undo));

    /// <summary>Runs an operation that records its changes; if it throws, undoes them and rethrows its exception.</summary>
    public static T Run<T>(Func<Rollback, T> operation)
    {
        var rollback = new Rollback();
        try
        {
            return operation(rollback);
        }
        catch (Exception cause)
        {
            rollback.UndoAfter(cause);
            throw;
        }
    }

    public static void Run(Action<Rollback> operation) => Run<object?>(rollback =>
    {
        operation(rollback);
        return null;
    });

    /// <summary>The undo steps that failed while rolling back after <paramref name="cause"/>, or null when all of them succeeded.</summary>
    public static AggregateException? FailuresAttachedTo(Exception cause) => cause.Data[FailuresKey] as AggregateException;

    private void UndoAfter(Exception cause)
    {
        var failures = new List<Exception>();
        while (_undo.TryPop(out var step))
        {
            try
            {
                step.Undo();
            }
            catch (Exception e)
            {
                failures.Add(new ContainerPSException("RollbackStepFailed", FailureKind.InvalidOperation,
                    $"Undoing {step.What} failed: {e.Message}", step.What, e));
            }
        }
        if (failures.Count > 0)
        {
            cause.Data[FailuresKey] = new AggregateException(
                $"Rolling back after the failure did not finish, so this may be left on the host: {string.Join("; ", failures.Select(f => f.Message))}", failures);
        }
    }
}
