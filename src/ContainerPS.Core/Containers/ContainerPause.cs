using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>Suspends and resumes a container with the cgroup freezer: its processes stop being scheduled, and keep their state.</summary>
public static class ContainerPause
{
    public static Container Suspend(ContainerStore store, Container container)
    {
        CheckSuspend(container);
        Cgroup.ForContainer(container.Id, container.CgroupPath).Freeze(true);
        return store.Load(container.Id)!;
    }

    public static Container Resume(ContainerStore store, Container container)
    {
        CheckResume(container);
        Cgroup.ForContainer(container.Id, container.CgroupPath).Freeze(false);
        return store.Load(container.Id)!;
    }

    /// <summary>Throws ContainerNotRunning when <see cref="Suspend"/> would refuse. Changes nothing.</summary>
    public static void CheckSuspend(Container container) => Require(container, ContainerState.Running, "suspended");

    /// <summary>Throws ContainerNotPaused when <see cref="Resume"/> would refuse. Changes nothing.</summary>
    public static void CheckResume(Container container) => Require(container, ContainerState.Paused, "resumed");

    private static void Require(Container container, ContainerState state, string verb)
    {
        if (container.State != state)
        {
            throw new ContainerPSException(state == ContainerState.Running ? "ContainerNotRunning" : "ContainerNotPaused", FailureKind.InvalidOperation,
                $"Container '{container.Name}' is {container.State}; only a {state} container can be {verb}.", container);
        }
    }
}
