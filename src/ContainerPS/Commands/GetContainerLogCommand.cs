using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Gets what a container wrote to stdout and stderr, as timestamped entries.</summary>
/// <remarks>
/// <para>
/// A detached container's output is kept in its state directory in the CRI log format (time, stream, line). Each entry
/// is emitted as an object with its time, stream and text. -Follow keeps emitting new entries until the container
/// stops, as docker logs -f does.
/// </para>
/// </remarks>
/// <example>
/// <code>Get-ContainerLog web -Tail 20</code>
/// The last 20 lines web wrote.
/// </example>
/// <example>
/// <code>Get-ContainerLog web -Follow | Where-Object Stream -eq stderr</code>
/// Follows web's error output until it stops or Ctrl-C is pressed (which ends the following, not the container).
/// </example>
/// <seealso cref="StartContainerCommand"/>
/// <seealso cref="GetContainerCommand"/>
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
