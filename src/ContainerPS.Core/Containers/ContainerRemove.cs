using ContainerPS.Core.Cgroups;
using ContainerPS.Core.ContainerNetworks;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Removes a stopped container (or, forced, a live one after killing it): its cgroup, network attachments (veths,
/// leases, published ports), state directory and name. A Damaged one is removed from what the kernel still shows of
/// it (<see cref="DamagedContainerRemains"/>). Two removals of one container at once both end well: the one that
/// comes second finds nothing left to do, or is told the container is gone.
/// </summary>
public static class ContainerRemove
{
    public static void Run(ContainerStore store, Container container, bool force)
    {
        Check(container, force);
        try
        {
            Remove(store, container);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !Directory.Exists(store.Dir(container.Id)))
        {
            throw new ContainerPSException("ContainerNotFound", FailureKind.ObjectNotFound,
                $"Container '{container.Name}' ({container.ShortId}) was removed meanwhile by another command.", container, e);
        }
    }

    private static void Remove(ContainerStore store, Container container)
    {
        var cgroup = Cgroup.ForContainer(container.Id, container.CgroupPath);
        if (container.State == ContainerState.Damaged)
        {
            DamagedContainerRemains.Kill(store, container.Id, cgroup);
        }
        else if (container.State != ContainerState.Stopped)
        {
            cgroup.KillAll();
            // A container without a cgroup (a rootless one here) is killed through its first process: with a pid
            // namespace, the kernel ends the rest with it.
            if (store.ReadState(container.Id) is { Pid: > 0 } state)
            {
                Processes.ProcessSignal.Send(state.Pid, state.PidStartTime, Tmds.Linux.LibC.SIGKILL);
            }
            ContainerWait.Run(store, container, TimeSpan.FromSeconds(10));
        }
        CrashPoint.Reach("remove:killed");
        cgroup.KillAll(); // anything left from a container without a pid namespace
        cgroup.Remove();
        CrashPoint.Reach("remove:cgroup-removed");
        ContainerNetworkDisconnect.All(store, container.Id);
        CrashPoint.Reach("remove:disconnected");
        // An image's overlayfs root, and whatever a Damaged record's create left mounted.
        DamagedContainerRemains.UnmountUnder(store.Dir(container.Id));
        store.Delete(container.Id, container.Name);
    }

    /// <summary>Throws ContainerNotStopped when <see cref="Run"/> would refuse: a live container and no force. Changes nothing.</summary>
    public static void Check(Container container, bool force)
    {
        if (force)
        {
            return;
        }
        // A Damaged record is live when its cgroup still holds processes: its files may be damaged while it runs.
        var live = container.State == ContainerState.Damaged
            ? Cgroup.ForContainer(container.Id, container.CgroupPath).Processes().Count > 0
            : container.State != ContainerState.Stopped;
        if (live)
        {
            throw new ContainerPSException("ContainerNotStopped", FailureKind.InvalidOperation,
                $"Container '{container.Name}' is {container.State}{(container.State == ContainerState.Damaged ? " and its cgroup still holds processes" : "")}. Stop it first with Stop-Container, or remove it with -Force.", container);
        }
    }
}
