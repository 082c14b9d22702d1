using System.Management.Automation;
using ContainerPS.Core.Cgroups;

namespace ContainerPS.Commands;

/// <summary>Changes the limits of cgroups or of running containers, as cgset does.</summary>
/// <remarks>
/// <para>
/// Each limit goes to the hierarchy that holds its controller, translated for its version: -Memory to
/// memory.limit_in_bytes (v1) or memory.max (v2), -CpuQuota to cpu.cfs_quota_us or cpu.max, and so on. Limits not given
/// are left as they are.
/// </para>
/// </remarks>
/// <example>
/// <code>Get-Container web | Set-CgroupLimit -Memory 128MB -CpuQuota 0.25</code>
/// Gives the running container web 128 MB of memory and a quarter of a CPU.
/// </example>
/// <example>
/// <code>Set-CgroupLimit cps-batch -Pids -1 -PassThru</code>
/// Removes the process limit of cps-batch and shows the limits now in force.
/// </example>
/// <seealso cref="GetCgroupLimitCommand"/>
/// <seealso cref="NewCgroupCommand"/>
[Cmdlet(VerbsCommon.Set, "CgroupLimit", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(CgroupLimits))]
public sealed class SetCgroupLimitCommand : CgroupTargetCmdlet, IDynamicParameters
{
    /// <summary>Emit the limits in force afterwards, read back from the kernel.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private readonly CgroupLimitParameters _limits = new();

    public object GetDynamicParameters() => _limits;

    protected override void Process(Cgroup cgroup)
    {
        var limits = _limits.ToLimits() ?? throw new Core.Containers.ContainerPSException("NoLimitGiven", Core.Containers.FailureKind.InvalidArgument,
            "Give at least one limit: -Memory, -MemorySwap, -CpuWeight, -CpuShares, -CpuQuota, -CpuSet, -Pids, -IoWeight or -IoMax.", cgroup.Name);
        if (ShouldProcess(cgroup.Path, "Set limits " + string.Join(", ", limits.Controllers())))
        {
            cgroup.Apply(limits);
            if (PassThru)
            {
                var now = cgroup.ReadLimits();
                now.Name = DisplayName(cgroup);
                WriteObject(now);
            }
        }
    }
}
