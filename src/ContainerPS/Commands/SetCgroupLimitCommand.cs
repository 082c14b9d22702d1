using System.Management.Automation;
using ContainerPS.Core.Cgroups;

namespace ContainerPS.Commands;

/// <summary>Set-CgroupLimit: changes limits of a group or a running container (cgset), each in the hierarchy that holds it.</summary>
[Cmdlet(VerbsCommon.Set, "CgroupLimit", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(CgroupLimits))]
public sealed class SetCgroupLimitCommand : CgroupTargetCmdlet, IDynamicParameters
{
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
