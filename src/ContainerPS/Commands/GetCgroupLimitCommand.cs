using System.Management.Automation;
using ContainerPS.Core.Cgroups;

namespace ContainerPS.Commands;

/// <summary>Get-CgroupLimit: the limits in force on a group or container, read back from the kernel's files.</summary>
[Cmdlet(VerbsCommon.Get, "CgroupLimit", DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(CgroupLimits))]
public sealed class GetCgroupLimitCommand : CgroupTargetCmdlet
{
    protected override void Process(Cgroup cgroup)
    {
        var limits = cgroup.ReadLimits();
        limits.Name = DisplayName(cgroup);
        WriteObject(limits);
    }
}
