using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Remove-Container: removes a stopped container's cgroup, state and name; -Force kills a live one first.</summary>
[Cmdlet(VerbsCommon.Remove, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
public sealed class RemoveContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Kill a container that is not Stopped, then remove it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void Process(Container container)
    {
        // Without -Force a live container is refused; -WhatIf shows that refusal rather than a removal that would not happen.
        ContainerRemove.Check(container, Force);
        var action = container.State == ContainerState.Stopped
            ? "Remove container (its cgroup, network attachments, state and name)"
            : $"Stop the {container.State} container by killing every process in it (SIGKILL), then remove it";
        if (ShouldProcess(container.Name, action))
        {
            ContainerRemove.Run(Store, container, Force);
        }
    }
}
