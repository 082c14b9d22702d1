using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Remove-Container: removes a stopped container's cgroup, state and name; -Force kills a live one first.</summary>
[Cmdlet(VerbsCommon.Remove, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Name")]
[OutputType(typeof(void))]
public sealed class RemoveContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Kill a container that is not Stopped, then remove it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void Process(Container container)
    {
        if (ShouldProcess(container.Name, container.State == ContainerState.Stopped ? "Remove container" : $"Kill and remove {container.State} container"))
        {
            ContainerRemove.Run(Store, container, Force);
        }
    }
}
