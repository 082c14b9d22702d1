using System.Net;
using System.Net.Sockets;

namespace ContainerPS.Core.Network;

/// <summary>IPv4 and IPv6 addresses on links of the socket's namespace.</summary>
public static class Address
{
    private const int BufferSize = 128;

    /// <summary>
    /// Adds <paramref name="address"/> (say 10.200.0.1/30) to the link; the kernel adds the route to its subnet.
    /// Scope is global, or host for 127.0.0.0/8, as `ip addr add` does; an IPv6 address's scope follows from it.
    /// </summary>
    public static void Add(NetlinkSocket socket, int linkIndex, Cidr address)
    {
        var message = Message(stackalloc byte[BufferSize], NetlinkMessageType.NewAddress, NetlinkFlags.Create | NetlinkFlags.Exclusive, linkIndex, address);
        socket.Request(message.Complete(), $"{address} on ifindex {linkIndex}");
    }

    public static void Delete(NetlinkSocket socket, int linkIndex, Cidr address)
    {
        var message = Message(stackalloc byte[BufferSize], NetlinkMessageType.DeleteAddress, 0, linkIndex, address);
        socket.Request(message.Complete(), $"{address} on ifindex {linkIndex}");
    }

    /// <summary>Every address in the namespace, or only those of one link.</summary>
    public static IReadOnlyList<NetworkAddress> List(NetlinkSocket socket, int? linkIndex = null)
    {
        var message = new NetlinkMessageBuilder(stackalloc byte[BufferSize], NetlinkMessageType.GetAddress, 0);
        message.AddHeader(new InterfaceAddressMessage());
        var addresses = socket.Dump<NetworkAddress>(message.Complete(), null, NetworkAddress.Decode);
        if (linkIndex is { } index)
        {
            addresses.RemoveAll(a => a.LinkIndex != index);
        }
        return addresses;
    }

    private static NetlinkMessageBuilder Message(Span<byte> buffer, ushort type, ushort flags, int linkIndex, Cidr address)
    {
        if (linkIndex <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(linkIndex), linkIndex, "A link is named by its positive ifindex (see Link.Get).");
        }
        ArgumentNullException.ThrowIfNull(address.Address, nameof(address));
        var ip = address.Address;
        var message = new NetlinkMessageBuilder(buffer, type, flags);
        message.AddHeader(new InterfaceAddressMessage
        {
            Family = LinuxAddressFamily.Of(address.Family),
            PrefixLength = (byte)address.PrefixLength,
            Scope = (byte)(ip.AddressFamily == AddressFamily.InterNetwork && IPAddress.IsLoopback(ip) ? NetworkScope.Host : NetworkScope.Global),
            Index = linkIndex,
        });
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out var count);
        // Both, as iproute2 sends them: IFA_LOCAL is the address, IFA_ADDRESS the same when there is no peer.
        message.Add(AddressAttribute.Local, bytes[..count]);
        message.Add(AddressAttribute.Address, bytes[..count]);
        return message;
    }
}
