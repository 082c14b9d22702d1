namespace ContainerPS.Core.Containers;

/// <summary>
/// Records each host change as it is made, with the way to undo it. If the operation does not reach
/// <see cref="Commit"/>, disposing undoes everything in reverse order, so a failed create leaves nothing behind.
/// </summary>
public sealed class Rollback : IDisposable
{
    private readonly Stack<(string What, Action Undo)> _undo = new();
    private bool _committed;

    public void Add(string what, Action undo) => _undo.Push((what, undo));

    public void Commit() => _committed = true;

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }
        var failures = new List<Exception>();
        while (_undo.TryPop(out var step))
        {
            try
            {
                step.Undo();
            }
            catch (Exception e)
            {
                failures.Add(new InvalidOperationException($"Rolling back '{step.What}' failed: {e.Message}", e));
            }
        }
        if (failures.Count > 0)
        {
            throw new AggregateException("A failed operation could not be rolled back completely.", failures);
        }
    }
}
