using System.Management.Automation;
using ContainerPS.Arguments;
using System.Net.Sockets;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Gets the routes of the main routing table, as ip route show does.</summary>
/// <remarks>
/// <para>In this network namespace or another; each route carries it, so piping one to Remove-NetworkRoute acts there.</para>
/// </remarks>
/// <example>
/// <code>Get-NetworkRoute -Namespace (Get-Container web)</code>
/// web's routes.
/// </example>
/// <seealso cref="AddNetworkRouteCommand"/>
/// <seealso cref="RemoveNetworkRouteCommand"/>
[Cmdlet(VerbsCommon.Get, "NetworkRoute")]
[OutputType(typeof(NetworkRoute))]
public sealed class GetNetworkRouteCommand : NetworkCmdlet
{
    /// <summary>The network namespace to act in (a pid, a Container, a Net Namespace object, an ip netns name or an nsfs path); by default the host's.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    /// <summary>Only this address family: InterNetwork (IPv4) or InterNetworkV6 (IPv6).</summary>
    [Parameter]
    public AddressFamily? Family { get; set; }

    protected override void ProcessRecord() => ForItem(Namespace, () =>
    {
        var (socket, path) = SocketFor(Namespace);
        WriteObject(Route.List(socket, Family).Select(r => r with { NamespacePath = path }), enumerateCollection: true);
    });
}
