using ContainerPS.Core.Processes;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Waits for a container to stop. The shim records the exit and then exits, so waiting on the shim's pidfd
/// wakes the moment the record is complete, without polling the store and from any session.
/// </summary>
public static class ContainerWait
{
    /// <summary>The stopped container, or null when <paramref name="timeout"/> passed first.</summary>
    public static Container? Run(ContainerStore store, Container container, TimeSpan? timeout = null, CancellationToken cancel = default)
    {
        var state = store.ReadState(container.Id);
        // An orphan's shim is gone already, and an engine's container (ShimPid 0) never had one of ours: its own process
        // is then what ends (its exit code is the engine's to read).
        var (pid, startTime) = (container.Orphaned || state is { ShimPid: 0 }) && state is not null ? (state.Pid, state.PidStartTime) : (state?.ShimPid ?? 0, state?.ShimStartTime ?? 0);
        if (state is not null && !ProcessExit.Wait(pid, startTime, timeout, cancel))
        {
            return null;
        }
        var now = store.Load(container.Id);
        return now is { State: ContainerState.Stopped } ? now : null;
    }
}
