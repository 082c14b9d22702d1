using System.Management.Automation;
using System.Net.Sockets;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Get-NetworkRoute: ip route show (main table), in our namespace or another.</summary>
[Cmdlet(VerbsCommon.Get, "NetworkRoute")]
[OutputType(typeof(NetworkRoute))]
public sealed class GetNetworkRouteCommand : NetworkCmdlet
{
    [Parameter]
    public object? Namespace { get; set; }

    [Parameter]
    public AddressFamily? Family { get; set; }

    protected override void ProcessRecord() => ForItem(Namespace, () =>
    {
        var (socket, path) = SocketFor(Namespace);
        WriteObject(Route.List(socket, Family).Select(r => r with { NamespacePath = path }), enumerateCollection: true);
    });
}
