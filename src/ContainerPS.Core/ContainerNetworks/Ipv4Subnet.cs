using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>An IPv4 network as numbers, for the arithmetic IPAM and the overlap check need.</summary>
internal readonly record struct Ipv4Subnet(uint Network, int PrefixLength)
{
    public static Ipv4Subnet Of(Cidr cidr) =>
        cidr.Family == AddressFamily.InterNetwork
            ? new(ToUInt32(cidr.Address) & MaskOf(cidr.PrefixLength), cidr.PrefixLength)
            : throw new ArgumentException($"{cidr} is not an IPv4 network.", nameof(cidr));

    public static Ipv4Subnet Parse(string text) => Of(Cidr.Parse(text));

    public uint Mask => MaskOf(PrefixLength);
    public uint Broadcast => Network | ~Mask;

    public bool Contains(uint address) => (address & Mask) == Network;

    /// <summary>True when the two share any address: the shorter prefix's network holds the other's.</summary>
    public bool Overlaps(Ipv4Subnet other)
    {
        var mask = MaskOf(Math.Min(PrefixLength, other.PrefixLength));
        return (Network & mask) == (other.Network & mask);
    }

    public override string ToString() => $"{ToAddress(Network)}/{PrefixLength}";

    public static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        return address.AddressFamily == AddressFamily.InterNetwork && address.TryWriteBytes(bytes, out _)
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : throw new ArgumentException($"{address} is not an IPv4 address.", nameof(address));
    }

    public static IPAddress ToAddress(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    private static uint MaskOf(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
}
