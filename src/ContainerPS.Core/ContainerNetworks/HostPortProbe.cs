using System.Net;
using System.Net.Sockets;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// Whether a process of the host holds a port a container would publish. The NAT rules forward the port from every
/// local address, so a host service already listening there would lose its connections to the container without a
/// word: docker refuses such a port (its proxy's bind fails), and so does ContainerPS, by the same test: a bind of
/// the wildcard address. SO_REUSEADDR lets the bind pass over connections that merely use the port (TIME_WAIT, a
/// client's ephemeral port) and fail only on a listening or bound socket, of IPv4 or of a dual-stack IPv6 one.
/// </summary>
internal static class HostPortProbe
{
    public static bool InUse(PublishedPort port)
    {
        var udp = port.Protocol == PortProtocol.Udp;
        using var socket = new Socket(AddressFamily.InterNetwork, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Any, port.HostPort));
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }
}
