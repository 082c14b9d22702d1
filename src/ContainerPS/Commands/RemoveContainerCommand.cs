using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Removes stopped containers: their cgroup, state directory, name and network attachments.</summary>
/// <remarks>
/// <para>
/// As runc delete. A container that is not Stopped is refused unless -Force, which kills it first. Its veths, address
/// leases and published ports go with it.
/// </para>
/// </remarks>
/// <example>
/// <code>Remove-Container web</code>
/// Removes web, which must have stopped.
/// </example>
/// <example>
/// <code>Get-Container cps-* | Remove-Container -Force</code>
/// Kills and removes every container whose name begins with cps-.
/// </example>
/// <seealso cref="StopContainerCommand"/>
/// <seealso cref="NewContainerCommand"/>
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
