namespace ContainerPS.Core.Network;

/// <summary>RTPROT_*: who installed a route. `ip route` prints all but boot ("proto kernel", "proto static").</summary>
public enum RouteProtocol : byte
{
    Unspecified = 0,
    Redirect = 1,
    Kernel = 2,
    Boot = 3,
    Static = 4,
    RouterAdvertisement = 9,
    Dhcp = 16,
}
