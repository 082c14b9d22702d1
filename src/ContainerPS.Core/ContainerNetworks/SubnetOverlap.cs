using System.Net.Sockets;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// Refuses a subnet that shares addresses with another container network, with an address of the host's, or
/// with a route of the host's (the default route aside): packets for it would go two ways.
/// </summary>
internal static class SubnetOverlap
{
    public static void Check(Ipv4Subnet subnet, IEnumerable<ContainerNetwork> networks, NetlinkSocket host)
    {
        foreach (var network in networks)
        {
            if (network.Range.Overlaps(subnet))
            {
                throw Overlaps(subnet, $"container network '{network.Name}' ({network.Subnet})");
            }
        }
        var links = Link.List(host).ToDictionary(l => l.Index, l => l.Name);
        foreach (var address in Address.List(host).Where(a => a.Family == AddressFamily.InterNetwork))
        {
            if (Ipv4Subnet.Of(address.Cidr).Overlaps(subnet))
            {
                throw Overlaps(subnet, $"the host's address {address.Cidr} on {links.GetValueOrDefault(address.LinkIndex, $"ifindex {address.LinkIndex}")}");
            }
        }
        foreach (var route in Route.List(host, AddressFamily.InterNetwork).Where(r => !r.IsDefault))
        {
            if (Ipv4Subnet.Of(route.Destination).Overlaps(subnet))
            {
                var via = route.Gateway is null ? "" : $" via {route.Gateway}";
                var dev = route.OutputLinkIndex is { } index ? $" dev {links.GetValueOrDefault(index, $"ifindex {index}")}" : "";
                throw Overlaps(subnet, $"the host's route to {route.Destination}{via}{dev}");
            }
        }
    }

    private static ContainerPSException Overlaps(Ipv4Subnet subnet, string what) =>
        new("SubnetOverlaps", FailureKind.InvalidArgument,
            $"The subnet {subnet} overlaps {what}. Choose a subnet no network of this host uses, such as a free 10.x.y.0/24.", subnet.ToString());
}
