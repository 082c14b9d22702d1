using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Processes;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Stops a container as docker stop does: SIGTERM, and SIGKILL once the grace period is over. PID 1 of a pid
/// namespace ignores signals it has no handler for (sleep has none), so the SIGKILL is often what ends it.
/// </summary>
public static class ContainerStop
{
    private const int SIGKILL = 9, SIGTERM = 15;

    public static Container Run(ContainerStore store, Container container, TimeSpan grace)
    {
        if (container.State == ContainerState.Stopped)
        {
            return container;
        }
        var state = store.ReadState(container.Id)!;
        if (container.State == ContainerState.Paused)
        {
            Cgroup.ForContainer(container.Id).Freeze(false); // a frozen process cannot act on SIGTERM
        }
        var signal = container.State == ContainerState.Created ? SIGKILL : SIGTERM;
        if (container.Orphaned && OrphanExit.StopAndRecord(store, container.Id, state, signal, grace))
        {
            return store.Load(container.Id)!;
        }
        ProcessSignal.Send(state.Pid, state.PidStartTime, signal);
        if (signal == SIGTERM && !ProcessExit.Wait(state.Pid, state.PidStartTime, grace))
        {
            ProcessSignal.Send(state.Pid, state.PidStartTime, SIGKILL);
        }
        // Wait for the process itself too: if its shim is gone (killed), nothing else says when it has died.
        ProcessExit.Wait(state.Pid, state.PidStartTime, TimeSpan.FromSeconds(10));
        return ContainerWait.Run(store, container, TimeSpan.FromSeconds(10)) ?? store.Load(container.Id)!;
    }
}
