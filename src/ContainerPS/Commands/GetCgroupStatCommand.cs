using System.Management.Automation;
using ContainerPS.Core.Cgroups;

namespace ContainerPS.Commands;

/// <summary>Gets the resource use of cgroups or containers: memory, OOM kills, CPU, throttling, pids and IO.</summary>
/// <remarks>
/// <para>Read from the controllers' files (memory.usage_in_bytes or memory.current, cpu.stat, pids.current...).</para>
/// </remarks>
/// <example>
/// <code>Get-Container web | Get-CgroupStat</code>
/// web's current and peak memory, OOM kills, CPU time and throttled periods, process count and IO.
/// </example>
/// <seealso cref="GetCgroupLimitCommand"/>
/// <seealso cref="GetCgroupCommand"/>
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
