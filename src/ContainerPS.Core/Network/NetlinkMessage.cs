using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static ContainerPS.Core.Network.NetlinkAlignment;

namespace ContainerPS.Core.Network;

/// <summary>One received netlink message, read in place from the socket's receive buffer.</summary>
public readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        Payload = payload;
    }

    public ushort Type { get; }
    public ushort Flags { get; }
    public uint Sequence { get; }

    /// <summary>Everything after nlmsghdr.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The family's fixed header at the start of the payload (ifinfomsg, ifaddrmsg, rtmsg).</summary>
    public T Header<T>() where T : unmanaged
    {
        if (!MemoryMarshal.TryRead<T>(Payload, out var header))
        {
            throw new InvalidDataException($"{NetlinkMessageType.Name(Type)} reply has {Payload.Length} bytes, too few for its {typeof(T).Name}");
        }
        return header;
    }

    /// <summary>The attributes that follow a fixed header of type <typeparamref name="T"/>.</summary>
    public NetlinkAttributeReader Attributes<T>() where T : unmanaged =>
        new(Payload[Math.Min(Align(Unsafe.SizeOf<T>()), Payload.Length)..]);

    /// <summary>Splits the next message off a received datagram.</summary>
    public static NetlinkMessage Next(ref ReadOnlySpan<byte> datagram)
    {
        var length = MemoryMarshal.Read<uint>(datagram);
        if (length < HeaderSize || length > datagram.Length)
        {
            throw new InvalidDataException($"netlink message claims {length} bytes where {datagram.Length} remain");
        }
        var message = new NetlinkMessage(
            MemoryMarshal.Read<ushort>(datagram[4..]),
            MemoryMarshal.Read<ushort>(datagram[6..]),
            MemoryMarshal.Read<uint>(datagram[8..]),
            datagram[HeaderSize..(int)length]);
        datagram = datagram[Math.Min(Align((int)length), datagram.Length)..];
        return message;
    }
}
