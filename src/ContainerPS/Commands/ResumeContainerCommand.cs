using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Thaws containers that Suspend-Container froze.</summary>
/// <remarks>
/// <para>As docker unpause: the processes run on from where they were frozen and the container is Running again.</para>
/// </remarks>
/// <example>
/// <code>Get-Container -State Paused | Resume-Container -PassThru</code>
/// Thaws every paused container and shows them.
/// </example>
/// <seealso cref="SuspendContainerCommand"/>
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
