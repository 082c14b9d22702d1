using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Stop-Container: SIGTERM, then SIGKILL after -Timeout seconds (default 10), as docker stop.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
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
        // A stopped container is left as it is (the real call sends nothing), so there is nothing to ask about.
        var action = container.State switch
        {
            ContainerState.Stopped => null,
            ContainerState.Created => "Stop the Created container (SIGKILL: its command never ran)",
            _ => $"Stop container: SIGTERM, then SIGKILL after {Timeout} s",
        };
        if (action is not null && !ShouldProcess(container.Name, action))
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
