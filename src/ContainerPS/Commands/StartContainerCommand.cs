using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>
/// Start-Container: runs a Created container's command. Detached by default (it runs under its shim and
/// outlives the session); -Attach streams its output as a native command's and sets $LASTEXITCODE.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(Container))]
[OutputType(typeof(string))]
public sealed class StartContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter Attach { get; set; }

    private volatile bool _stopping;
    private Container? _attached;

    protected override void Process(Container container)
    {
        if (!ShouldProcess(container.Name, "Start container"))
        {
            return;
        }
        var started = ContainerStart.Run(Store, container);
        if (!Attach)
        {
            WriteObject(started);
            return;
        }
        _attached = started;
        var stopped = ContainerAttach.Follow(Store, started, entry => WriteNativeLine(entry.Stream, entry.Text), () => _stopping);
        if (stopped?.ExitCode is { } code)
        {
            SetExitCode(code);
        }
    }

    /// <summary>Ctrl-C while attached is passed on to the container (docker's sig-proxy), then we stop following.</summary>
    protected override void StopProcessing()
    {
        _stopping = true;
        if (_attached?.Pid is { } pid)
        {
            Core.Interop.Sys.TryKill(pid, 2);
        }
    }
}
