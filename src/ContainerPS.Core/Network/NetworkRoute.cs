using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace ContainerPS.Core.Network;

/// <summary>A route as RTM_GETROUTE describes it. Multipath routes are listed with their first hop's fields unset.</summary>
/// <param name="Destination">The network it leads to; prefix 0 for the default route.</param>
/// <param name="OutputLinkIndex">The link packets leave by (RTA_OIF).</param>
/// <param name="Metric">RTA_PRIORITY: lower wins among routes to the same destination.</param>
public sealed record NetworkRoute(
    AddressFamily Family,
    Cidr Destination,
    IPAddress? Gateway,
    int? OutputLinkIndex,
    IPAddress? PreferredSource,
    int? Metric,
    int Table,
    RouteProtocol Protocol,
    NetworkScope Scope,
    RouteType Type)
{
    /// <summary>Where the object was read: the namespace path it was listed in (/proc/PID/ns/net, /run/netns/NAME), null for ours; cmdlets bind it by property name to act there again.</summary>
    public string? NamespacePath { get; init; }

    public bool IsDefault => Destination.PrefixLength == 0;

    internal static bool Decode(in NetlinkMessage message, [MaybeNullWhen(false)] out NetworkRoute route)
    {
        route = null;
        if (message.Type != NetlinkMessageType.NewRoute)
        {
            return false;
        }
        var header = message.Header<RouteMessage>();
        var family = LinuxAddressFamily.ToDotNet(header.Family);
        if (family == AddressFamily.Unknown || (header.Flags & RouteMessage.Cloned) != 0)
        {
            return false;
        }
        IPAddress? destination = null, gateway = null, source = null;
        int? link = null, metric = null;
        int table = header.Table;
        foreach (var attribute in message.Attributes<RouteMessage>())
        {
            switch (attribute.Type)
            {
                case RouteAttribute.Destination: destination = new IPAddress(attribute.Value); break;
                case RouteAttribute.Gateway: gateway = new IPAddress(attribute.Value); break;
                case RouteAttribute.PreferredSource: source = new IPAddress(attribute.Value); break;
                case RouteAttribute.OutputInterface: link = attribute.ToInt32(); break;
                case RouteAttribute.Priority: metric = attribute.ToInt32(); break;
                case RouteAttribute.Table: table = attribute.ToInt32(); break; // tables above 255 live only here
            }
        }
        route = new NetworkRoute(family,
            destination is null ? Cidr.Default(family) : new Cidr(destination, header.DestinationLength),
            gateway, link, source, metric, table,
            (RouteProtocol)header.Protocol, (NetworkScope)header.Scope, (RouteType)header.Type);
        return true;
    }
}
