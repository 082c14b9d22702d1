using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;

namespace ContainerPS;

/// <summary>
/// A cmdlet that acts on cgroups of ours, named by -Name (below containerps/), by -Path (which Cgroup objects bind
/// by property name), or by -ContainerId (which Container objects bind through their Id), so both
/// `Get-Cgroup web | Get-CgroupStat` and `Get-Container web | Get-CgroupLimit` work.
/// </summary>
public abstract class CgroupTargetCmdlet : ContainerPSCmdlet
{
    /// <summary>Group names, relative to containerps/ as New-Cgroup made them.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParameterSets.Name)]
    [ArgumentCompleter(typeof(Completion.CgroupNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Groups as their Path property gives them; cgroup objects piped in (Get-Cgroup, New-Cgroup) bind here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Path, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The containers (by id or name) whose group to act on; Container objects piped in bind here by their Id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Container, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(Completion.ContainerIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] ContainerId { get; set; } = [];

    /// <summary>
    /// The state store to look in: the --root an OCI engine gave containerps-runtime (containerd:
    /// /run/containerd/runc/NAMESPACE), instead of /run/containerps. Container objects piped in bind theirs.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Root { get; set; }

    protected override string? StoreRoot => Root;

    protected override void ProcessRecord() =>
        ForEachTarget(CgroupTargets.Keys(ParameterSetName, Name, Path, ContainerId), key => CgroupTargets.Find(Store, ParameterSetName, key),
            found => Process(found.Cgroup), found => found.Target);

    protected abstract void Process(Cgroup cgroup);

    /// <summary>What to call the group in output: its container's name for a container's group, else its own.</summary>
    protected string DisplayName(Cgroup cgroup) => CgroupTargets.DisplayName(Store, cgroup);
}
