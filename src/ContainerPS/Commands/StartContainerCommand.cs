using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>
/// Start-Container: runs a Created container's command. Detached by default (it runs under its shim and
/// outlives the session); -Attach streams its output as a native command's and sets $LASTEXITCODE.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(Container))]
[OutputType(typeof(string))]
public sealed class StartContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Wait for the container, streaming its stdout down the pipeline and its stderr to the host; sets $LASTEXITCODE.</summary>
    [Parameter]
    public SwitchParameter Attach { get; set; }

    /// <summary>With -Attach: remove the container once it has stopped, as docker run --rm does.</summary>
    [Parameter]
    public SwitchParameter Remove { get; set; }

    private volatile bool _stopping;
    private Container? _attached;

    protected override void BeginProcessing()
    {
        if (Remove && !Attach)
        {
            ThrowFailure(new ContainerPSException("RemoveNeedsAttach", FailureKind.InvalidArgument,
                "-Remove removes the container once it has stopped, which Start-Container sees only with -Attach. Add -Attach, or remove it later with Remove-Container.", null), null);
        }
    }

    protected override void Process(Container container)
    {
        ContainerStart.Check(container);
        var action = !Attach ? "Start container, detached"
            : Remove ? "Start container, relay its output until it exits, then remove it"
            : "Start container and relay its output until it exits";
        if (!ShouldProcess(container.Name, action))
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
        if (Remove && stopped is not null)
        {
            ContainerRemove.Run(Store, stopped, force: false);
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
