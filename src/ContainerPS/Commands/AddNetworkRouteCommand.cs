using System.Management.Automation;
using ContainerPS.Arguments;
using System.Net;
using System.Net.Sockets;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Adds a route to the main routing table, as ip route add does.</summary>
/// <remarks>
/// <para>
/// DEST [via GATEWAY] [dev LINK] [metric N]: the destination is a CIDR or default (0.0.0.0/0, or ::/0 with an IPv6
/// gateway). Links piped in bind by name and namespace.
/// </para>
/// </remarks>
/// <example>
/// <code>Add-NetworkRoute default -Gateway 10.200.0.1 -Namespace (Get-Container web)</code>
/// web's default route via the host end of its veth.
/// </example>
/// <example>
/// <code>Add-NetworkRoute 10.99.0.0/16 -LinkName cps-br0 -Metric 50</code>
/// A route on the host to 10.99.0.0/16 out of cps-br0.
/// </example>
/// <seealso cref="GetNetworkRouteCommand"/>
/// <seealso cref="RemoveNetworkRouteCommand"/>
[Cmdlet(VerbsCommon.Add, "NetworkRoute", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkRoute))]
public sealed class AddNetworkRouteCommand : NetworkCmdlet
{
    /// <summary>The destination network as a CIDR (10.99.0.0/16), or default.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>The next hop's address (via).</summary>
    [Parameter]
    public IPAddress? Gateway { get; set; }

    /// <summary>The link to send through (dev); NetworkLink objects bind by their Name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string? LinkName { get; set; }

    /// <summary>The route's priority; lower wins.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Metric { get; set; }

    /// <summary>The nsfs path of the namespace to act in; objects piped in carry the one they were read in.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? NamespacePath { get; set; }

    /// <summary>The network namespace to act in (a pid, a Container, a Net Namespace object, an ip netns name or an nsfs path); by default where a piped object was read, else the host's.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    protected override void ProcessRecord() => ForItem(Destination, () =>
    {
        var destination = RouteDestination.Parse(Destination, Gateway);
        var (socket, path) = SocketFor(Namespace, NamespacePath);
        int? index = LinkName is null ? null : FindLink(socket, LinkName, path).Index;
        if (!ShouldProcess(destination.ToString(), "Add route"))
        {
            return;
        }
        Route.Add(socket, destination, Gateway, index, Metric);
        var added = Route.List(socket, destination.Family).First(r => r.Destination.Equals(destination) && Equals(r.Gateway, Gateway) && (Metric is null || r.Metric == Metric));
        WriteObject(added with { NamespacePath = path });
    });
}

/// <summary>A route destination as users write it: a CIDR, or "default".</summary>
internal static class RouteDestination
{
    public static Cidr Parse(string text, IPAddress? gateway) =>
        text.Equals("default", StringComparison.OrdinalIgnoreCase)
            ? Cidr.Default(gateway?.AddressFamily ?? AddressFamily.InterNetwork)
            : Cidr.Parse(text);
}
