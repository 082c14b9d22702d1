using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Deletes network links, as ip link del does.</summary>
/// <remarks>
/// <para>
/// Links piped in are deleted together at the end, one request per namespace: the kernel waits a grace period for each
/// unregistering, and a batch shares it. Deleting one end of a veth pair deletes both.
/// </para>
/// </remarks>
/// <example>
/// <code>Remove-NetworkLink cps-vhost</code>
/// Deletes cps-vhost (and its peer, if it is a veth).
/// </example>
/// <example>
/// <code>Get-NetworkLink cps-* | Remove-NetworkLink</code>
/// Deletes every link whose name begins with cps-, in one batch.
/// </example>
/// <seealso cref="GetNetworkLinkCommand"/>
/// <seealso cref="NewVethPairCommand"/>
[Cmdlet(VerbsCommon.Remove, "NetworkLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetworkLinkCommand : NetworkCmdlet
{
    /// <summary>The names of the links to delete; NetworkLink objects bind by their Name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The nsfs path of the namespace the links are in; piped links carry it.</summary>
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
