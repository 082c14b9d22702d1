using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Removes empty cgroups that New-Cgroup made, as cgdelete does.</summary>
/// <remarks>
/// <para>
/// The kernel refuses to remove a group with processes in it; -Force first moves them to the root group of each
/// hierarchy. Only groups below containerps/ are ever removed.
/// </para>
/// </remarks>
/// <example>
/// <code>Remove-Cgroup cps-batch</code>
/// Removes the group, which must be empty.
/// </example>
/// <example>
/// <code>Get-Cgroup cps-* | Remove-Cgroup -Force</code>
/// Removes every cps- group, moving their processes out first.
/// </example>
/// <seealso cref="NewCgroupCommand"/>
[Cmdlet(VerbsCommon.Remove, "Cgroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
public sealed class RemoveCgroupCommand : CgroupTargetCmdlet
{
    /// <summary>Move the processes still in the group to the root group of their hierarchy first.</summary>
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
