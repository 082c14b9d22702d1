using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Get-ContainerLog: what a container wrote to stdout and stderr, as timestamped entries; -Follow keeps reading until it stops.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(ContainerLogEntry))]
public sealed class GetContainerLogCommand : ContainerTargetCmdlet
{
    /// <summary>Only the last N entries.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Keep emitting new entries until the container stops (Ctrl-C ends the follow, not the container).</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    private volatile bool _stopping;

    protected override void Process(Container container)
    {
        var (entries, offset) = new ContainerLog(Store.LogPath(container.Id)).ReadFrom(0, container.Name);
        WriteObject(Tail is { } n ? entries.TakeLast(n) : entries, enumerateCollection: true);
        if (Follow)
        {
            ContainerAttach.Follow(Store, container, WriteObject, () => _stopping, offset);
        }
    }

    protected override void StopProcessing() => _stopping = true;
}
