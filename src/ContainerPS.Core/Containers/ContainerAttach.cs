using ContainerPS.Core.Interop;
using ContainerPS.Core.Processes;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Follows a container's output until it stops: the log is read as it grows, and the shim's pidfd says when the
/// last line is in (the shim drains the pipes and records the exit before it exits).
/// </summary>
public static class ContainerAttach
{
    /// <summary>Ctrl-C while attached: SIGINT to the container's process (docker's sig-proxy), by pidfd.</summary>
    public static void Interrupt(ContainerStore store, Container container)
    {
        if (store.ReadState(container.Id) is { } state)
        {
            ProcessSignal.Send(state.Pid, state.PidStartTime, 2 /* SIGINT */);
        }
    }

    /// <summary>Calls <paramref name="onLine"/> for each line; returns the stopped container, or null if <paramref name="stop"/> said so first.</summary>
    public static Container? Follow(ContainerStore store, Container container, Action<ContainerLogEntry> onLine, Func<bool> stop, long offset = 0)
    {
        var log = new ContainerLog(store.LogPath(container.Id));
        var state = store.ReadState(container.Id);
        using var shim = state is null ? null : Sys.TryOpenPidfd(state.ShimPid);
        var shimAlive = shim is not null && ProcStat.IsAlive(state!.ShimPid, state.ShimStartTime);
        while (true)
        {
            var exited = !shimAlive || Sys.PollReadable(shim!, 20);
            (var entries, offset) = log.ReadFrom(offset, container.Name);
            foreach (var entry in entries)
            {
                onLine(entry);
            }
            if (exited)
            {
                return store.Load(container.Id);
            }
            if (stop())
            {
                return null;
            }
        }
    }
}
