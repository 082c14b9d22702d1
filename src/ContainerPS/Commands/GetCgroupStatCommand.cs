using System.Management.Automation;
using ContainerPS.Core.Cgroups;

namespace ContainerPS.Commands;

/// <summary>Get-CgroupStat: memory, OOM kills, CPU time and throttling, pids and IO of a group or container.</summary>
[Cmdlet(VerbsCommon.Get, "CgroupStat", DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(CgroupStat))]
public sealed class GetCgroupStatCommand : CgroupTargetCmdlet
{
    protected override void Process(Cgroup cgroup)
    {
        var stat = cgroup.ReadStats();
        stat.Name = DisplayName(cgroup);
        WriteObject(stat);
    }
}
