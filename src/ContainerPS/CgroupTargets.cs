using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;

namespace ContainerPS;

/// <summary>
/// How -Name, -Path and -ContainerId name a cgroup. CgroupTargetCmdlet declares them for the cmdlets that only read or
/// remove groups; Set-CgroupLimit declares them beside the limits it inherits from CgroupLimitCmdlet (a class has
/// one base), and both resolve them here.
/// </summary>
internal static class CgroupTargets
{
    /// <summary>The keys the parameter set in use gave.</summary>
    public static string[] Keys(string parameterSet, string[] name, string[] path, string[] containerId) => parameterSet switch
    {
        ParameterSets.Path => path,
        ParameterSets.Container => containerId,
        _ => name,
    };

    /// <summary>
    /// The group a key names, a container's (by its id or name) or one below containerps/, with what a failure on it
    /// names: the container where the user named one, else the group.
    /// </summary>
    public static (Cgroup Cgroup, object Target) Find(ContainerStore store, string parameterSet, string key)
    {
        if (parameterSet != ParameterSets.Container)
        {
            var cgroup = CgroupQuery.Find(key);
            return (cgroup, cgroup);
        }
        var container = ContainerQuery.Find(store, key);
        // An engine's container (containerps-runtime under containerd or podman) is in the group its config named.
        return (container.Bundle is null ? CgroupQuery.Find(container.Id) : Cgroup.ForContainer(container.Id, container.CgroupPath), container);
    }

    /// <summary>What to call the group in output: its container's name for a container's group, else its own.</summary>
    public static string DisplayName(ContainerStore store, Cgroup cgroup) =>
        cgroup.Name.Length == 64 && store.ReadSpec(cgroup.Name) is { } spec ? spec.Name : cgroup.Name;
}
