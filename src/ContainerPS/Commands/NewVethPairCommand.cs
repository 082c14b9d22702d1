using System.Management.Automation;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>
/// New-VethPair: ip link add NAME type veth peer name PEER [netns ...]. The peer can be made directly inside another
/// network namespace (a container's, a pid's, an ip netns name). Emits both ends.
/// <code>New-VethPair cps-host cps-guest -PeerNamespace (Get-Container web)</code>
/// </summary>
[Cmdlet(VerbsCommon.New, "VethPair", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkLink))]
public sealed class NewVethPairCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string PeerName { get; set; } = "";

    /// <summary>Where the first end is made; by default the host's namespace.</summary>
    [Parameter]
    public object? Namespace { get; set; }

    /// <summary>Where the peer end is made; by default beside the first.</summary>
    [Parameter]
    public object? PeerNamespace { get; set; }

    /// <summary>Bring both ends up.</summary>
    [Parameter]
    public SwitchParameter Up { get; set; }

    protected override void ProcessRecord() => ForItem(Name, () =>
    {
        InterfaceName.Validate(Name);
        InterfaceName.Validate(PeerName);
        var (socket, path) = SocketFor(Namespace);
        var (peerSocket, peerPath) = PeerNamespace is null ? (socket, path) : SocketFor(PeerNamespace);
        if (!ShouldProcess($"{Name} <-> {PeerName}", "Create veth pair"))
        {
            return;
        }
        Veth.Create(socket, Name, PeerName, NetworkNamespaceArgument.FromPath(peerPath == path ? null : peerPath));
        var first = Link.Get(socket, Name);
        var peer = Link.Get(peerSocket, PeerName);
        if (Up)
        {
            Link.SetUp(socket, first.Index);
            Link.SetUp(peerSocket, peer.Index);
        }
        WriteLink(socket, path, first.Index);
        WriteLink(peerSocket, peerPath, peer.Index);
    });
}
