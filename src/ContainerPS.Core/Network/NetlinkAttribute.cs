using System.Runtime.InteropServices;
using System.Text;

namespace ContainerPS.Core.Network;

/// <summary>One received attribute: its type (flag bits stripped) and its value, read in place.</summary>
public readonly ref struct NetlinkAttribute
{
    // NLA_F_NESTED and NLA_F_NET_BYTEORDER ride in the type's top bits.
    private const ushort TypeMask = 0x3fff;

    public NetlinkAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        Type = (ushort)(type & TypeMask);
        Value = value;
    }

    public ushort Type { get; }
    public ReadOnlySpan<byte> Value { get; }

    public byte ToByte() => Fixed<byte>();
    public uint ToUInt32() => Fixed<uint>();
    public int ToInt32() => Fixed<int>();

    /// <summary>A string attribute, up to its NUL.</summary>
    public string ToText()
    {
        var end = Value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? Value : Value[..end]);
    }

    /// <summary>The attributes nested in this one.</summary>
    public NetlinkAttributeReader Nested() => new(Value);

    private T Fixed<T>() where T : unmanaged
    {
        if (!MemoryMarshal.TryRead<T>(Value, out var value))
        {
            throw new InvalidDataException($"netlink attribute {Type} has {Value.Length} bytes, too few for a {typeof(T).Name}");
        }
        return value;
    }
}
