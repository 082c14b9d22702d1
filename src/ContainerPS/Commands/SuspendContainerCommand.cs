using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Suspend-Container: freezes every process of a running container with the cgroup freezer (docker pause).</summary>
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
