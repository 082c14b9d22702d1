using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;

namespace ContainerPS;

/// <summary>
/// A cmdlet that acts on cgroups of ours, named by -Name (below containerps/), by -Path (which Cgroup objects bind
/// by property name), or by -ContainerId (which Container objects bind through their Id), so both
/// `Get-Cgroup web | Get-CgroupStat` and `Get-Container web | Set-CgroupLimit -Memory 64MB` work.
/// </summary>
public abstract class CgroupTargetCmdlet : ContainerPSCmdlet
{
    /// <summary>Group names, relative to containerps/ as New-Cgroup made them.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name")]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Groups as their Path property gives them; cgroup objects piped in (Get-Cgroup, New-Cgroup) bind here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Path", ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The containers (by id or name) whose group to act on; Container objects piped in bind here by their Id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Container", ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] ContainerId { get; set; } = [];

    protected override void ProcessRecord()
    {
        var keys = ParameterSetName switch { "Path" => Path, "Container" => ContainerId, _ => Name };
        foreach (var key in keys)
        {
            // A failure names the container the user piped or named where there is one, else the group's name.
            object target = key;
            try
            {
                if (ParameterSetName == "Container")
                {
                    var container = ContainerQuery.Find(Store, key);
                    target = container;
                    Process(CgroupQuery.Find(container.Id));
                }
                else
                {
                    Process(CgroupQuery.Find(key));
                }
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteFailure(e, target);
            }
        }
    }

    protected abstract void Process(Cgroup cgroup);

    /// <summary>What to call the group in output: its container's name for a container's group, else its own.</summary>
    protected string DisplayName(Cgroup cgroup) =>
        cgroup.Name.Length == 64 && Store.ReadSpec(cgroup.Name) is { } spec ? spec.Name : cgroup.Name;
}
