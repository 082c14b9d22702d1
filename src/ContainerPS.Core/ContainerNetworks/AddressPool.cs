using System.Net;
using System.Net.Sockets;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// IPAM: hands out the addresses of a network's subnet. Neither the network's nor the broadcast address, nor the
/// gateway, nor one another container holds (the leases) is ever given; the lowest free address goes first.
/// </summary>
public static class AddressPool
{
    /// <summary>The lowest free address; NetworkFull when every one is taken.</summary>
    public static IPAddress Next(ContainerNetwork network, IEnumerable<ContainerNetworkAttachment> leases)
    {
        var range = network.Range;
        var taken = Taken(leases);
        for (var candidate = range.Network + 1; candidate < range.Broadcast; candidate++)
        {
            if (candidate != network.GatewayAddress && !taken.Contains(candidate))
            {
                return Ipv4Subnet.ToAddress(candidate);
            }
        }
        throw new ContainerPSException("NetworkFull", FailureKind.ResourceUnavailable,
            $"Network '{network.Name}' ({network.Subnet}) has no free address left: {taken.Count} containers hold one. Remove a container, or use a network with a larger subnet.", network.Name);
    }

    /// <summary>Checks an address the user asked for: IPv4, inside the subnet, a host address, not the gateway, not leased.</summary>
    public static IPAddress Check(ContainerNetwork network, string requested, IEnumerable<ContainerNetworkAttachment> leases)
    {
        if (!IPAddress.TryParse(requested, out var address) || address.AddressFamily != AddressFamily.InterNetwork || requested.Count(c => c == '.') != 3)
        {
            throw new ContainerPSException("InvalidIPAddress", FailureKind.InvalidArgument,
                $"-IPAddress '{requested}' is not an IPv4 address. Give one inside {network.Subnet}, such as {Ipv4Subnet.ToAddress(network.Range.Network + 2)}.", requested);
        }
        var range = network.Range;
        var value = Ipv4Subnet.ToUInt32(address);
        if (!range.Contains(value))
        {
            throw new ContainerPSException("AddressOutsideSubnet", FailureKind.InvalidArgument,
                $"-IPAddress {address} is outside network '{network.Name}''s subnet {network.Subnet}. Give an address from {Ipv4Subnet.ToAddress(range.Network + 1)} to {Ipv4Subnet.ToAddress(range.Broadcast - 1)}, other than the gateway {network.Gateway}.", requested);
        }
        if (value == range.Network || value == range.Broadcast)
        {
            throw new ContainerPSException("AddressNotAssignable", FailureKind.InvalidArgument,
                $"-IPAddress {address} is the {(value == range.Network ? "network" : "broadcast")} address of {network.Subnet}; a container needs a host address.", requested);
        }
        if (value == network.GatewayAddress)
        {
            throw new ContainerPSException("AddressIsGateway", FailureKind.InvalidArgument,
                $"-IPAddress {address} is the gateway of network '{network.Name}' (the bridge's own address). Choose another address in {network.Subnet}.", requested);
        }
        if (leases.FirstOrDefault(l => l.IPAddress == address.ToString()) is { } holder)
        {
            throw new ContainerPSException("AddressInUse", FailureKind.ResourceExists,
                $"-IPAddress {address} is already held by container '{holder.ContainerName}' on network '{network.Name}'. Choose another, or leave -IPAddress out to get a free one.", requested);
        }
        return address;
    }

    private static HashSet<uint> Taken(IEnumerable<ContainerNetworkAttachment> leases) =>
        leases.Select(l => Ipv4Subnet.ToUInt32(IPAddress.Parse(l.IPAddress))).ToHashSet();
}
