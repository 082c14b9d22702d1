using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Makes a veth pair, optionally with its peer end inside another network namespace.</summary>
/// <remarks>
/// <para>
/// As ip link add NAME type veth peer name PEER netns NS: the peer can be made directly inside a container's network
/// namespace, a pid's, or a persistent one, with no move afterwards. Both ends are emitted as NetworkLink objects, each
/// carrying the namespace it is in, so piping them to Add-NetworkAddress or Set-NetworkLink acts there.
/// </para>
/// </remarks>
/// <example>
/// <code>New-VethPair cps-vhost cps-vcont -PeerNamespace (Get-Container web) -Up</code>
/// Seed 000's veth pair without ip: cps-vhost on the host, cps-vcont inside web, both up.
/// </example>
/// <example>
/// <code>New-VethPair cps-vhost cps-vcont -PeerNamespace (Get-Container web) -Up | Where-Object Name -eq cps-vcont | Add-NetworkAddress 10.200.0.2/24</code>
/// Gives the container end an address; the piped link carries its namespace.
/// </example>
/// <example>
/// <code>New-VethPair cps-a cps-b -Namespace cps-lab</code>
/// Both ends inside the persistent namespace cps-lab.
/// </example>
/// <seealso cref="SetNetworkLinkCommand"/>
/// <seealso cref="AddNetworkAddressCommand"/>
/// <seealso cref="RemoveNetworkLinkCommand"/>
[Cmdlet(VerbsCommon.New, "VethPair", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkLink))]
public sealed class NewVethPairCommand : NetworkCmdlet
{
    /// <summary>The name of the first end.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The name of the peer end.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string PeerName { get; set; } = "";

    /// <summary>Where the first end is made; by default the host's namespace.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    /// <summary>Where the peer end is made; by default beside the first.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? PeerNamespace { get; set; }

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
        Veth.Create(socket, Name, PeerName, NetworkNamespaceTarget.FromPath(peerPath == path ? null : peerPath));
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
