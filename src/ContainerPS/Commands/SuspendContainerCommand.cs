using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Freezes every process of running containers with the cgroup freezer.</summary>
/// <remarks>
/// <para>
/// As docker pause: cgroup v1's freezer.state or cgroup v2's cgroup.freeze stops the processes where they are; the
/// container is Paused until Resume-Container.
/// </para>
/// </remarks>
/// <example>
/// <code>Suspend-Container web -PassThru</code>
/// Freezes web and shows it in state Paused.
/// </example>
/// <seealso cref="ResumeContainerCommand"/>
[Cmdlet(VerbsLifecycle.Suspend, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(Container))]
public sealed class SuspendContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Emit the suspended container.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process(Container container)
    {
        ContainerPause.CheckSuspend(container);
        if (ShouldProcess(container.Name, "Suspend container (freeze every process)"))
        {
            var paused = ContainerPause.Suspend(Store, container);
            if (PassThru)
            {
                WriteObject(paused);
            }
        }
    }
}
