using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Runs the command of a Created container, detached or attached to the pipeline.</summary>
/// <remarks>
/// <para>
/// Detached (the default) the command runs under the container's shim and outlives this PowerShell session; the
/// container is emitted in state Running. With -Attach its stdout comes down the pipeline as a native command's
/// output, its stderr goes to the host, and $LASTEXITCODE is set to its exit code; Ctrl-C is passed on to it.
/// </para>
/// </remarks>
/// <example>
/// <code>Get-Container web | Start-Container</code>
/// Starts web detached; Get-ContainerLog web shows what it writes.
/// </example>
/// <example>
/// <code>New-Container /tmp/cps-rootfs -- sh -c 'echo hello; exit 3' | Start-Container -Attach -Remove; $LASTEXITCODE</code>
/// Runs a one-off container as docker run --rm does: prints hello, then 3, its exit code; the container is removed.
/// </example>
/// <example>
/// <code>$lines = Start-Container job -Attach</code>
/// Keeps what the container job prints in $lines, one string per line.
/// </example>
/// <seealso cref="NewContainerCommand"/>
/// <seealso cref="StopContainerCommand"/>
/// <seealso cref="WaitContainerCommand"/>
/// <seealso cref="GetContainerLogCommand"/>
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
        if (_attached is { } attached)
        {
            ContainerAttach.Interrupt(Store, attached);
        }
    }
}
