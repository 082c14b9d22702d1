using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>
/// Remove-NetworkLink: ip link del. Links piped in are deleted together at the end, in one request per namespace
/// (the kernel waits a grace period per unregister; a batch shares it), as `ip link del group` does.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NetworkLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetworkLinkCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? NamespacePath { get; set; }

    /// <summary>The network namespace to act in (a pid, a Container, a Net Namespace object, an ip netns name or an nsfs path); by default where a piped object was read, else the host's.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    private readonly Dictionary<string, (NetlinkSocket Socket, HashSet<int> Indexes)> _pending = [];

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            ForItem(name, () =>
            {
                var (socket, path) = SocketFor(Namespace, NamespacePath);
                var link = FindLink(socket, name, path);
                if (ShouldProcess(path is null ? name : $"{name} in {path}", link.Kind == "veth" ? "Delete veth link (its peer goes with it)" : "Delete link"))
                {
                    if (!_pending.TryGetValue(path ?? "", out var batch))
                    {
                        _pending[path ?? ""] = batch = (socket, []);
                    }
                    // A veth's peer goes with it: deleting both ends would fail on the second.
                    if (link.LinkIndex is not { } peer || link.LinkNamespaceId is not null || !batch.Indexes.Contains(peer))
                    {
                        batch.Indexes.Add(link.Index);
                    }
                }
            });
        }
    }

    protected override void EndProcessing()
    {
        foreach (var (path, (socket, indexes)) in _pending)
        {
            ForItem(path, () =>
            {
                if (indexes.Count == 1)
                {
                    Link.Delete(socket, indexes.Single());
                }
                else
                {
                    Link.DeleteMany(socket, indexes);
                }
            });
        }
    }
}
