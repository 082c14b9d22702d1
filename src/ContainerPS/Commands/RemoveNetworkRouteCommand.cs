using System.Management.Automation;
using ContainerPS.Arguments;
using System.Net;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Remove-NetworkRoute: ip route del. Route objects piped in bind by destination, gateway, link, metric and namespace.</summary>
[Cmdlet(VerbsCommon.Remove, "NetworkRoute", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class RemoveNetworkRouteCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public IPAddress? Gateway { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? OutputLinkIndex { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
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
        var (socket, _) = SocketFor(Namespace, NamespacePath);
        if (ShouldProcess(destination.ToString(), "Remove route"))
        {
            Route.Delete(socket, destination, Gateway, OutputLinkIndex, Metric);
        }
    });
}
