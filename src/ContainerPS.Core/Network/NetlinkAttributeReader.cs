using System.Runtime.InteropServices;
using static ContainerPS.Core.Network.NetlinkAlignment;

namespace ContainerPS.Core.Network;

/// <summary>
/// Walks a run of attributes in place (<c>foreach (var attribute in reader)</c>), honouring the 4-byte padding
/// between them. A length that overruns the run means a malformed message and throws rather than reading on.
/// </summary>
public ref struct NetlinkAttributeReader
{
    private ReadOnlySpan<byte> _rest;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes)
    {
        _rest = attributes;
        Current = default;
    }

    public NetlinkAttribute Current { get; private set; }

    public readonly NetlinkAttributeReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < AttributeHeaderSize)
        {
            return false; // only padding remains
        }
        var length = MemoryMarshal.Read<ushort>(_rest);
        if (length < AttributeHeaderSize || length > _rest.Length)
        {
            throw new InvalidDataException($"netlink attribute claims {length} bytes where {_rest.Length} remain");
        }
        Current = new NetlinkAttribute(MemoryMarshal.Read<ushort>(_rest[2..]), _rest[AttributeHeaderSize..length]);
        _rest = _rest[Math.Min(Align(length), _rest.Length)..];
        return true;
    }
}
