using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Wait-Container: blocks until each container stops and returns how it ended (exit code, signal, times).</summary>
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
