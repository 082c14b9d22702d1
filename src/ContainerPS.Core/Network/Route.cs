using System.Net;
using System.Net.Sockets;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Network;

/// <summary>Routes in the main table of the socket's namespace: to a subnet or the default, via a gateway or a link.</summary>
public static class Route
{
    private const int BufferSize = 160;

    /// <summary>
    /// Adds a route to <paramref name="destination"/> (a network: no host bits) via <paramref name="gateway"/>,
    /// out of <paramref name="outputLinkIndex"/>, or both. A route with no gateway is link-scoped, as `ip route add
    /// ... dev X` makes it.
    /// </summary>
    public static void Add(NetlinkSocket socket, Cidr destination, IPAddress? gateway = null, int? outputLinkIndex = null, int? metric = null)
    {
        var message = Message(stackalloc byte[BufferSize], NetlinkMessageType.NewRoute, NetlinkFlags.Create | NetlinkFlags.Exclusive,
            destination, gateway, outputLinkIndex, metric);
        socket.Request(message.Complete(), Describe(destination, gateway, outputLinkIndex));
    }

    /// <summary>Adds the default route (0.0.0.0/0 or ::/0, by the gateway's family) via <paramref name="gateway"/>.</summary>
    public static void AddDefault(NetlinkSocket socket, IPAddress gateway, int? outputLinkIndex = null, int? metric = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        Add(socket, Cidr.Default(gateway.AddressFamily), gateway, outputLinkIndex, metric);
    }

    /// <summary>Deletes the route to <paramref name="destination"/>; the other arguments, when given, must match it too.</summary>
    public static void Delete(NetlinkSocket socket, Cidr destination, IPAddress? gateway = null, int? outputLinkIndex = null, int? metric = null)
    {
        var message = Message(stackalloc byte[BufferSize], NetlinkMessageType.DeleteRoute, 0, destination, gateway, outputLinkIndex, metric);
        socket.Request(message.Complete(), Describe(destination, gateway, outputLinkIndex));
    }

    /// <summary>The main table's routes, of both families or one.</summary>
    public static IReadOnlyList<NetworkRoute> List(NetlinkSocket socket, AddressFamily? family = null)
    {
        var message = new NetlinkMessageBuilder(stackalloc byte[BufferSize], NetlinkMessageType.GetRoute, 0);
        message.AddHeader(new RouteMessage { Family = family is { } f ? LinuxAddressFamily.Of(f) : LinuxAddressFamily.Unspecified });
        var routes = socket.Dump<NetworkRoute>(message.Complete(), null, NetworkRoute.Decode);
        routes.RemoveAll(r => r.Table != RouteMessage.MainTable);
        return routes;
    }

    private static NetlinkMessageBuilder Message(Span<byte> buffer, ushort type, ushort flags,
        Cidr destination, IPAddress? gateway, int? outputLinkIndex, int? metric)
    {
        var adding = type == NetlinkMessageType.NewRoute;
        Validate(destination, gateway, outputLinkIndex, adding);
        var message = new NetlinkMessageBuilder(buffer, type, flags);
        message.AddHeader(new RouteMessage
        {
            Family = LinuxAddressFamily.Of(destination.Family),
            DestinationLength = (byte)destination.PrefixLength,
            Table = RouteMessage.MainTable,
            // A delete leaves protocol, type and scope open (0, 0, nowhere) so they match whatever the route has.
            Protocol = (byte)(adding ? RouteProtocol.Boot : RouteProtocol.Unspecified),
            Type = (byte)(adding ? RouteType.Unicast : RouteType.Unspecified),
            Scope = (byte)(!adding ? NetworkScope.Nowhere : gateway is null ? NetworkScope.Link : NetworkScope.Global),
        });
        Span<byte> bytes = stackalloc byte[16];
        if (destination.PrefixLength > 0)
        {
            destination.Address.TryWriteBytes(bytes, out var count);
            message.Add(RouteAttribute.Destination, bytes[..count]);
        }
        if (gateway is not null)
        {
            gateway.TryWriteBytes(bytes, out var count);
            message.Add(RouteAttribute.Gateway, bytes[..count]);
        }
        if (outputLinkIndex is { } link)
        {
            message.Add(RouteAttribute.OutputInterface, link);
        }
        if (metric is { } priority)
        {
            message.Add(RouteAttribute.Priority, priority);
        }
        return message;
    }

    private static void Validate(Cidr destination, IPAddress? gateway, int? outputLinkIndex, bool adding)
    {
        ArgumentNullException.ThrowIfNull(destination.Address, nameof(destination));
        if (!destination.IsNetwork)
        {
            throw new ContainerPSException("RouteDestinationNotNetwork", FailureKind.InvalidArgument,
                $"Route destination {destination} has host bits set: the network is {destination.Network}.", destination.ToString());
        }
        if (adding && gateway is null && outputLinkIndex is null)
        {
            throw new ContainerPSException("RouteNeedsGatewayOrLink", FailureKind.InvalidArgument,
                $"A route to {destination} needs a gateway, an output link, or both.", destination.ToString());
        }
        if (gateway is not null && gateway.AddressFamily != destination.Family)
        {
            throw new ContainerPSException("GatewayFamilyMismatch", FailureKind.InvalidArgument,
                $"Gateway {gateway} is not of the same address family as the destination {destination}: give an IPv4 gateway for an IPv4 route, IPv6 for IPv6.", gateway.ToString());
        }
        if (outputLinkIndex is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(outputLinkIndex), outputLinkIndex, "A link is named by its positive ifindex (see Link.Get).");
        }
    }

    private static string Describe(Cidr destination, IPAddress? gateway, int? outputLinkIndex) =>
        destination + (gateway is null ? "" : $" via {gateway}") + (outputLinkIndex is null ? "" : $" dev ifindex {outputLinkIndex}");
}
