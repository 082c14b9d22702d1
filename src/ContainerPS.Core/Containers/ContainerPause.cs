using ContainerPS.Core.Cgroups;

namespace ContainerPS.Core.Containers;

/// <summary>Suspends and resumes a container with the cgroup freezer: its processes stop being scheduled, and keep their state.</summary>
public static class ContainerPause
{
    public static Container Suspend(ContainerStore store, Container container)
    {
        Require(container, ContainerState.Running, "suspended");
        Cgroup.ForContainer(container.Id).Freeze(true);
        return store.Load(container.Id)!;
    }

    public static Container Resume(ContainerStore store, Container container)
    {
        Require(container, ContainerState.Paused, "resumed");
        Cgroup.ForContainer(container.Id).Freeze(false);
        return store.Load(container.Id)!;
    }

    private static void Require(Container container, ContainerState state, string verb)
    {
        if (container.State != state)
        {
            throw new ContainerPSException(state == ContainerState.Running ? "ContainerNotRunning" : "ContainerNotPaused", FailureKind.InvalidOperation,
                $"Container '{container.Name}' is {container.State}; only a {state} container can be {verb}.", container);
        }
    }
}
