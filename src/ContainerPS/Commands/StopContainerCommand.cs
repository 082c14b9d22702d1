using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Stops containers: SIGTERM, then SIGKILL after a grace period.</summary>
/// <remarks>
/// <para>
/// As docker stop: the container's first process gets SIGTERM, and SIGKILL when it has not ended after -Timeout seconds
/// (10 by default). A PID 1 that does not handle SIGTERM (a plain sleep or httpd) is ended by the SIGKILL, exit code 137.
/// </para>
/// </remarks>
/// <example>
/// <code>Stop-Container web -Timeout 5</code>
/// Stops web, killing it if it is still running five seconds after SIGTERM.
/// </example>
/// <example>
/// <code>Get-Container -State Running | Stop-Container -PassThru | Remove-Container</code>
/// Stops every running container and removes them.
/// </example>
/// <seealso cref="StartContainerCommand"/>
/// <seealso cref="WaitContainerCommand"/>
/// <seealso cref="RemoveContainerCommand"/>
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
