using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace ContainerPS.Core.Network;

/// <summary>An IPv4 or IPv6 address on a link, as RTM_GETADDR describes it.</summary>
/// <param name="Label">IPv4 only: the address label, the link's name unless one was given.</param>
public sealed record NetworkAddress(
    int LinkIndex,
    AddressFamily Family,
    IPAddress Address,
    int PrefixLength,
    NetworkScope Scope,
    AddressFlags Flags,
    string? Label)
{
    /// <summary>Where the object was read: the namespace path it was listed in (/proc/PID/ns/net, /run/netns/NAME), null for ours; cmdlets bind it by property name to act there again.</summary>
    public string? NamespacePath { get; init; }

    /// <summary>"10.200.0.1/30": what Add and Remove take.</summary>
    public Cidr Cidr => new(Address, PrefixLength);

    internal static bool Decode(in NetlinkMessage message, [MaybeNullWhen(false)] out NetworkAddress address)
    {
        address = null;
        if (message.Type != NetlinkMessageType.NewAddress)
        {
            return false;
        }
        var header = message.Header<InterfaceAddressMessage>();
        IPAddress? local = null, peer = null;
        var flags = (AddressFlags)header.Flags;
        string? label = null;
        foreach (var attribute in message.Attributes<InterfaceAddressMessage>())
        {
            switch (attribute.Type)
            {
                case AddressAttribute.Local: local = new IPAddress(attribute.Value); break;
                case AddressAttribute.Address: peer = new IPAddress(attribute.Value); break;
                case AddressAttribute.Label: label = attribute.ToText(); break;
                case AddressAttribute.Flags: flags = (AddressFlags)attribute.ToUInt32(); break;
            }
        }
        var ip = local ?? peer;
        if (ip is null)
        {
            return false;
        }
        address = new NetworkAddress(header.Index, LinuxAddressFamily.ToDotNet(header.Family), ip, header.PrefixLength,
            (NetworkScope)header.Scope, flags, label);
        return true;
    }
}
