using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Network.ContainerNetworks;

namespace ContainerPS.Core.Containers;

/// <summary>Removes a stopped container (or, forced, a live one after killing it): its cgroup, network attachments (veths, leases, published ports), state directory and name.</summary>
public static class ContainerRemove
{
    public static void Run(ContainerStore store, Container container, bool force)
    {
        Check(container, force);
        var cgroup = Cgroup.ForContainer(container.Id);
        if (container.State != ContainerState.Stopped)
        {
            cgroup.KillAll();
            ContainerWait.Run(store, container, TimeSpan.FromSeconds(10));
        }
        cgroup.KillAll(); // anything left from a container without a pid namespace
        cgroup.Remove();
        ContainerNetworkDisconnect.All(store, container.Id);
        store.Delete(container.Id, container.Name);
    }

    /// <summary>Throws ContainerNotStopped when <see cref="Run"/> would refuse: a live container and no force. Changes nothing.</summary>
    public static void Check(Container container, bool force)
    {
        if (container.State != ContainerState.Stopped && !force)
        {
            throw new ContainerPSException("ContainerNotStopped", FailureKind.InvalidOperation,
                $"Container '{container.Name}' is {container.State}. Stop it first with Stop-Container, or remove it with -Force.", container);
        }
    }
}
