using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Removes stopped containers: their cgroup, state directory, name and network attachments.</summary>
/// <remarks>
/// <para>
/// As runc delete. A container that is not Stopped is refused unless -Force, which kills it first. Its veths, address
/// leases and published ports go with it. A Damaged container (a create that was killed before it finished) is removed
/// as well; one whose spec.json or state.json cannot be read is removed with -Force, from what the kernel still shows of
/// it: the processes in its cgroup, its recorded process if its start time still matches, its links by name.
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
    /// <summary>Kill a container that is not Stopped, then remove it. A container whose record is damaged is removed from what the kernel still shows of it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool AcceptsDamaged => true;

    protected override bool AcceptsUnreadable => Force;

    protected override void Process(Container container)
    {
        // Without -Force a live container is refused; -WhatIf shows that refusal rather than a removal that would not happen.
        ContainerRemove.Check(container, Force);
        var action = container.State switch
        {
            ContainerState.Stopped => "Remove container (its cgroup, network attachments, state and name)",
            ContainerState.Damaged => "Remove the damaged container record and what the kernel still shows of it (processes in its cgroup, the cgroup, its links, its directory and name)",
            _ => $"Stop the {container.State} container by killing every process in it (SIGKILL), then remove it",
        };
        if (ShouldProcess(container.Name, action))
        {
            ContainerRemove.Run(Store, container, Force);
        }
    }
}
