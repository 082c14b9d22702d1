using System.Management.Automation;
using ContainerPS.Arguments;
using System.Net;
using System.Net.Sockets;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>
/// Add-NetworkRoute: ip route add DEST [via GATEWAY] [dev LINK] [metric N]. "default" is 0.0.0.0/0 (::/0 with an
/// IPv6 gateway).
/// <code>Add-NetworkRoute default -Gateway 10.200.0.1 -Namespace (Get-Container web)</code>
/// </summary>
[Cmdlet(VerbsCommon.Add, "NetworkRoute", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkRoute))]
public sealed class AddNetworkRouteCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    [Parameter]
    public IPAddress? Gateway { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string? LinkName { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Metric { get; set; }

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
