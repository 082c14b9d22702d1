using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Resume-Container: thaws a suspended container (docker unpause).</summary>
[Cmdlet(VerbsLifecycle.Resume, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(Container))]
public sealed class ResumeContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Emit the resumed container.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process(Container container)
    {
        ContainerPause.CheckResume(container);
        if (ShouldProcess(container.Name, "Resume container (thaw every process)"))
        {
            var running = ContainerPause.Resume(Store, container);
            if (PassThru)
            {
                WriteObject(running);
            }
        }
    }
}
