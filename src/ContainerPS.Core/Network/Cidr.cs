using System.Net;
using System.Net.Sockets;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Network;

/// <summary>
/// An IPv4 or IPv6 address with a prefix length, "10.200.0.1/30" or "fd00::1/64": an interface address (host bits
/// set) or, with <see cref="IsNetwork"/>, a route destination. Unlike <see cref="IPNetwork"/> it keeps host bits.
/// </summary>
public readonly record struct Cidr
{
    private const string Expected =
        "Expected an IPv4 or IPv6 address and a prefix length, like 10.200.0.1/30 or fd00::1/64 (prefix 0-32 for IPv4, 0-128 for IPv6).";

    public Cidr(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bits = BitsOf(address.AddressFamily);
        if (prefixLength < 0 || prefixLength > bits)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"A prefix length for {address} must be 0 to {bits}.");
        }
        Address = address;
        PrefixLength = prefixLength;
    }

    public IPAddress Address { get; }
    public int PrefixLength { get; }
    public AddressFamily Family => Address.AddressFamily;

    /// <summary>The network this address is in: host bits cleared.</summary>
    public Cidr Network
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            Address.TryWriteBytes(bytes, out var count);
            bytes = bytes[..count];
            for (var i = 0; i < count; i++)
            {
                var keep = Math.Clamp(PrefixLength - i * 8, 0, 8);
                bytes[i] &= (byte)(0xff00 >> keep);
            }
            return new Cidr(new IPAddress(bytes), PrefixLength);
        }
    }

    /// <summary>True when no host bits are set, as a route destination must be.</summary>
    public bool IsNetwork => Network.Address.Equals(Address);

    /// <summary>0.0.0.0/0 or ::/0: the destination of a default route.</summary>
    public static Cidr Default(AddressFamily family) =>
        new(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);

    public static Cidr Parse(string text)
    {
        if (TryParse(text, out var cidr, out var problem))
        {
            return cidr;
        }
        throw new ContainerPSException("InvalidCidrAddress", FailureKind.InvalidArgument, $"'{text}' is not a CIDR address: {problem}. {Expected}", text);
    }

    public static bool TryParse(string? text, out Cidr cidr) => TryParse(text, out cidr, out _);

    public override string ToString() => $"{Address}/{PrefixLength}";

    private static bool TryParse(string? text, out Cidr cidr, out string problem)
    {
        cidr = default;
        var slash = text?.IndexOf('/') ?? -1;
        if (text is null || slash < 0)
        {
            problem = "it has no '/prefix'";
            return false;
        }
        var addressText = text[..slash];
        // IPAddress.Parse also takes "10.1", "167772161" and "fe80::1%eth0"; an interface address is written in full.
        if (!IPAddress.TryParse(addressText, out var address) ||
            (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3) ||
            (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0))
        {
            problem = $"'{addressText}' is not an IPv4 or IPv6 address";
            return false;
        }
        var bits = BitsOf(address.AddressFamily);
        if (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var prefix) || prefix > bits)
        {
            problem = $"the prefix length '{text[(slash + 1)..]}' is not a number from 0 to {bits}";
            return false;
        }
        cidr = new Cidr(address, prefix);
        problem = "";
        return true;
    }

    private static int BitsOf(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => 32,
        AddressFamily.InterNetworkV6 => 128,
        _ => throw new ArgumentException($"Address family {family} is not IPv4 or IPv6."),
    };
}
