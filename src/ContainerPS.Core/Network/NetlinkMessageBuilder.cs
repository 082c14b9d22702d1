using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using static ContainerPS.Core.Network.NetlinkAlignment;

namespace ContainerPS.Core.Network;

/// <summary>
/// Lays out one netlink request: the nlmsghdr, the family's fixed header, then attributes (rtattr: length, type,
/// value, padded to 4 bytes), nested ones included. It writes into a caller's buffer (stackalloc, so a request
/// costs no allocation) and moves to the heap only if the request outgrows it. The socket stamps the sequence
/// number when it sends.
/// </summary>
public ref struct NetlinkMessageBuilder
{
    private Span<byte> _buffer;
    private int _length;

    public NetlinkMessageBuilder(Span<byte> buffer, ushort type, ushort flags)
    {
        _buffer = buffer;
        _length = 0;
        var header = Reserve(HeaderSize);
        MemoryMarshal.Write(header[4..], in type);
        MemoryMarshal.Write(header[6..], in flags);
    }

    /// <summary>The family header that follows nlmsghdr (ifinfomsg, ifaddrmsg, rtmsg), or a veth peer's ifinfomsg.</summary>
    public void AddHeader<T>(in T header) where T : unmanaged
    {
        MemoryMarshal.Write(Reserve(Align(Unsafe.SizeOf<T>())), in header);
    }

    public void Add(ushort type, scoped ReadOnlySpan<byte> value) => value.CopyTo(ReserveAttribute(type, value.Length));

    public void Add(ushort type, uint value) => MemoryMarshal.Write(ReserveAttribute(type, sizeof(uint)), in value);

    public void Add(ushort type, int value) => MemoryMarshal.Write(ReserveAttribute(type, sizeof(int)), in value);

    /// <summary>A string attribute: UTF-8 with its terminating NUL, as the kernel's NLA_STRING/NLA_NUL_STRING want.</summary>
    public void Add(ushort type, string value)
    {
        var text = ReserveAttribute(type, Encoding.UTF8.GetByteCount(value) + 1);
        Encoding.UTF8.GetBytes(value, text);
        text[^1] = 0;
    }

    /// <summary>Opens a nested attribute; everything added until <see cref="EndNested"/> is its value.</summary>
    public int BeginNested(ushort type)
    {
        var start = _length;
        ReserveAttribute(type, 0);
        return start;
    }

    public void EndNested(int start)
    {
        var length = checked((ushort)(_length - start));
        MemoryMarshal.Write(_buffer[start..], in length);
    }

    /// <summary>The finished request, its nlmsg_len set; valid until the builder's buffer goes away.</summary>
    public Span<byte> Complete()
    {
        var length = (uint)_length;
        MemoryMarshal.Write(_buffer, in length);
        return _buffer[.._length];
    }

    private Span<byte> ReserveAttribute(ushort type, int valueLength)
    {
        var length = checked((ushort)(AttributeHeaderSize + valueLength));
        var attribute = Reserve(Align(length));
        MemoryMarshal.Write(attribute, in length);
        MemoryMarshal.Write(attribute[2..], in type);
        return attribute.Slice(AttributeHeaderSize, valueLength);
    }

    /// <summary>Appends zeroed space (so padding is always zero) and returns it.</summary>
    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var larger = new byte[Math.Max(_buffer.Length * 2, _length + count + 256)];
            _buffer[.._length].CopyTo(larger);
            _buffer = larger;
        }
        var space = _buffer.Slice(_length, count);
        space.Clear();
        _length += count;
        return space;
    }
}
