using System.Management.Automation;
using ContainerPS.Arguments;
using System.Net.Sockets;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Get-NetworkRoute: ip route show (main table), in our namespace or another.</summary>
[Cmdlet(VerbsCommon.Get, "NetworkRoute")]
[OutputType(typeof(NetworkRoute))]
public sealed class GetNetworkRouteCommand : NetworkCmdlet
{
    /// <summary>The network namespace to act in (a pid, a Container, a Net Namespace object, an ip netns name or an nsfs path); by default the host's.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    [Parameter]
    public AddressFamily? Family { get; set; }

    protected override void ProcessRecord() => ForItem(Namespace, () =>
    {
        var (socket, path) = SocketFor(Namespace);
        WriteObject(Route.List(socket, Family).Select(r => r with { NamespacePath = path }), enumerateCollection: true);
    });
}
