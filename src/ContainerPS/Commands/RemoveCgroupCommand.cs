using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Remove-Cgroup: removes an empty group (cgdelete); -Force first moves its processes to the hierarchy's root group.</summary>
[Cmdlet(VerbsCommon.Remove, "Cgroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
public sealed class RemoveCgroupCommand : CgroupTargetCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void Process(Cgroup cgroup)
    {
        if (Store.ReadSpec(cgroup.Name) is { } spec)
        {
            throw new ContainerPSException("CgroupOwnedByContainer", FailureKind.InvalidOperation,
                $"The cgroup '{cgroup.Name}' belongs to container '{spec.Name}'; it goes with the container: Remove-Container {spec.Name}.", cgroup.Name);
        }
        var members = cgroup.Processes();
        if (members.Count > 0 && !Force)
        {
            throw new ContainerPSException("CgroupNotEmpty", FailureKind.InvalidOperation,
                $"The cgroup '{cgroup.Name}' still has {members.Count} process(es) ({string.Join(", ", members.Take(5))}). Use -Force to move them to the root group first.", cgroup.Name);
        }
        if (!ShouldProcess(cgroup.Path, members.Count > 0 ? $"Move {members.Count} process(es) out and remove cgroup" : "Remove cgroup"))
        {
            return;
        }
        cgroup.MoveProcessesToRoot();
        cgroup.Remove();
    }
}
