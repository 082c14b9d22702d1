using System.Management.Automation;
using ContainerPS.Core.Cgroups;

namespace ContainerPS.Commands;

/// <summary>Gets the limits in force on cgroups or containers, read back from the kernel.</summary>
/// <remarks>
/// <para>As cgget: memory, swap, CPU weight and quota, cpuset, pids and IO limits, whichever version holds each.</para>
/// </remarks>
/// <example>
/// <code>Get-Container web | Get-CgroupLimit</code>
/// web's limits.
/// </example>
/// <seealso cref="SetCgroupLimitCommand"/>
/// <seealso cref="GetCgroupStatCommand"/>
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
