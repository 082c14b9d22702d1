using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Stop-Container: SIGTERM, then SIGKILL after -Timeout seconds (default 10), as docker stop.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(Container))]
public sealed class StopContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds between SIGTERM and SIGKILL (default 10).</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int Timeout { get; set; } = 10;

    /// <summary>Emit the stopped container.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process(Container container)
    {
        if (!ShouldProcess(container.Name, "Stop container"))
        {
            return;
        }
        var stopped = ContainerStop.Run(Store, container, TimeSpan.FromSeconds(Timeout));
        if (PassThru)
        {
            WriteObject(stopped);
        }
    }
}
