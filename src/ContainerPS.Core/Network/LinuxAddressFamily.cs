using System.Net.Sockets;

namespace ContainerPS.Core.Network;

/// <summary>Linux's AF_* numbers on the wire, which differ from .NET's <see cref="AddressFamily"/> for IPv6 (10, not 23).</summary>
internal static class LinuxAddressFamily
{
    public const byte Unspecified = 0, Inet = 2, Inet6 = 10;

    public static byte Of(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => Inet,
        AddressFamily.InterNetworkV6 => Inet6,
        _ => throw new ArgumentException($"Address family {family} is not IPv4 or IPv6.", nameof(family)),
    };

    public static AddressFamily ToDotNet(byte family) => family switch
    {
        Inet => AddressFamily.InterNetwork,
        Inet6 => AddressFamily.InterNetworkV6,
        _ => AddressFamily.Unknown,
    };
}
