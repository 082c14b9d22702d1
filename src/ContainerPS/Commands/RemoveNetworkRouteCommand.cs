using System.Management.Automation;
using ContainerPS.Arguments;
using System.Net;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Deletes routes, as ip route del does.</summary>
/// <remarks>
/// <para>Route objects piped in bind by destination, gateway, link, metric and namespace, so the route deleted is that one.</para>
/// </remarks>
/// <example>
/// <code>Remove-NetworkRoute 10.99.0.0/16</code>
/// Deletes the host's route to 10.99.0.0/16.
/// </example>
/// <example>
/// <code>Get-NetworkRoute -Namespace (Get-Container web) | Where-Object Destination -eq 0.0.0.0/0 | Remove-NetworkRoute</code>
/// Deletes web's default route.
/// </example>
/// <seealso cref="GetNetworkRouteCommand"/>
/// <seealso cref="AddNetworkRouteCommand"/>
[Cmdlet(VerbsCommon.Remove, "NetworkRoute", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class RemoveNetworkRouteCommand : NetworkCmdlet
{
    /// <summary>The destination network as a CIDR, or default; route objects bind by their Destination.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Only the route via this next hop.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public IPAddress? Gateway { get; set; }

    /// <summary>Only the route out of the link with this index.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? OutputLinkIndex { get; set; }

    /// <summary>Only the route with this metric.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
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
        var (socket, _) = SocketFor(Namespace, NamespacePath);
        if (ShouldProcess(destination.ToString(), "Remove route"))
        {
            Route.Delete(socket, destination, Gateway, OutputLinkIndex, Metric);
        }
    });
}
