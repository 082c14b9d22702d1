using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Waits until containers stop and tells how each one ended.</summary>
/// <remarks>
/// <para>
/// Emits a ContainerExit per container: exit code, the signal that ended it if one did, and its start and end times,
/// as docker wait does. With -Timeout it gives up after that many seconds with an error for the container still running.
/// </para>
/// </remarks>
/// <example>
/// <code>Start-Container job; Wait-Container job -Timeout 60</code>
/// Starts job detached and waits at most a minute for it to end.
/// </example>
/// <seealso cref="StartContainerCommand"/>
/// <seealso cref="StopContainerCommand"/>
[Cmdlet(VerbsLifecycle.Wait, "Container", DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(ContainerExit))]
public sealed class WaitContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds to wait at most; by default, as long as it takes.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    private readonly CancellationTokenSource _cancel = new();

    protected override void Process(Container container)
    {
        var stopped = ContainerWait.Run(Store, container, Timeout is { } s ? TimeSpan.FromSeconds(s) : null, _cancel.Token);
        if (stopped is null)
        {
            if (!_cancel.IsCancellationRequested)
            {
                WriteFailure(new ContainerPSException("WaitTimedOut", FailureKind.OperationTimeout,
                    $"Container '{container.Name}' was still {Store.Load(container.Id)?.State} after {Timeout} second(s). Give a longer -Timeout, or stop it with Stop-Container.", container), container);
            }
            return;
        }
        WriteObject(ContainerExit.Of(stopped));
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
