using System.Net;
using System.Net.Sockets;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// Creates a container network: checks name, subnet, gateway and bridge name, refuses a subnet the host or another
/// network uses, then makes the bridge with the gateway address, enables forwarding if it is off, records the
/// network and loads the NAT table. Each step is recorded in a <see cref="Rollback"/>: a failure leaves nothing.
/// </summary>
public static class ContainerNetworkCreate
{
    private const int MinPrefix = 8, MaxPrefix = 30;

    public static ContainerNetwork Run(ContainerStore containers, string name, string subnet, string? gateway = null, string? bridgeName = null)
    {
        if (Rootless.Active)
        {
            throw Rootless.NeedsRoot("NetworkNeedsRoot", $"A container network ('{name}')", "CAP_NET_ADMIN in the host's network namespace (a bridge and NAT rules)",
                "run containers with -Network none (the default)", name);
        }
        var network = Validate(name, subnet, gateway, bridgeName);
        var store = NetworkStore.For(containers);
        _ = NftCommand.Path; // refuse before anything is made when nft is missing
        using var locked = store.Lock();
        if (store.Read(name) is not null)
        {
            throw new ContainerPSException("NetworkNameInUse", FailureKind.ResourceExists,
                $"A container network named '{name}' exists already. Choose another -Name, or remove it first (Remove-ContainerNetwork {name}).", name);
        }
        var networks = store.List();
        using var host = NetlinkSocket.Open();
        if (networks.FirstOrDefault(n => n.Bridge == network.Bridge) is { } sharing)
        {
            throw BridgeTaken(network.Bridge, $"network '{sharing.Name}' uses it");
        }
        if (Link.TryGet(host, network.Bridge) is not null)
        {
            throw BridgeTaken(network.Bridge, "a link of that name exists on the host");
        }
        SubnetOverlap.Check(network.Range, networks, host);

        return Rollback.Run(rollback =>
        {
            // The record before the bridge: a kill between them leaves a network that is listed and that
            // Remove-ContainerNetwork removes, where a bridge without a record would block the name for good.
            store.Write(network);
            rollback.Add("network " + store.Dir(name), () => store.Delete(name));
            CrashPoint.Reach("network-create:recorded");
            NetworkBridge.Create(host, network);
            rollback.Add("bridge " + network.Bridge, () => NetworkBridge.DeleteLink(network.Bridge));
            if (IpForwarding.Enable(store))
            {
                rollback.Add("net.ipv4.ip_forward", () => IpForwarding.Restore(store));
            }
            NatRules.Apply(store); // atomic: on failure the table is as it was
            return network;
        });
    }

    private static ContainerNetwork Validate(string name, string subnetText, string? gatewayText, string? bridgeName)
    {
        NetworkNames.Validate(name);
        if (!Cidr.TryParse(subnetText, out var cidr) || cidr.Family != AddressFamily.InterNetwork)
        {
            throw Invalid("InvalidSubnet", $"-Subnet '{subnetText}' is not an IPv4 network in CIDR form. Give an address and a prefix length of {MinPrefix}-{MaxPrefix}, such as 10.88.0.0/24.", subnetText);
        }
        if (cidr.PrefixLength is < MinPrefix or > MaxPrefix)
        {
            throw Invalid("InvalidSubnet", $"-Subnet {subnetText} has a /{cidr.PrefixLength} prefix; a container network takes /{MinPrefix} to /{MaxPrefix} (a /30 holds the gateway and one container).", subnetText);
        }
        if (!cidr.IsNetwork)
        {
            throw Invalid("InvalidSubnet", $"-Subnet {subnetText} has host bits set; the network is {cidr.Network}.", subnetText);
        }
        var range = Ipv4Subnet.Of(cidr);
        var first = range.Network >> 24;
        if (first == 0 || first >= 224)
        {
            throw Invalid("InvalidSubnet", $"-Subnet {subnetText} is not a unicast range (0.0.0.0/8, multicast and reserved addresses cannot hold containers). Use a private range such as 10.88.0.0/24.", subnetText);
        }
        var gateway = Ipv4Subnet.ToAddress(range.Network + 1);
        if (gatewayText is not null)
        {
            if (!IPAddress.TryParse(gatewayText, out var given) || given.AddressFamily != AddressFamily.InterNetwork || gatewayText.Count(c => c == '.') != 3)
            {
                throw Invalid("InvalidGateway", $"-Gateway '{gatewayText}' is not an IPv4 address.", gatewayText);
            }
            var value = Ipv4Subnet.ToUInt32(given);
            if (!range.Contains(value) || value == range.Network || value == range.Broadcast)
            {
                throw Invalid("InvalidGateway", $"-Gateway {given} is not a host address of {range}: give one from {Ipv4Subnet.ToAddress(range.Network + 1)} to {Ipv4Subnet.ToAddress(range.Broadcast - 1)}.", gatewayText);
            }
            gateway = given;
        }
        var bridge = bridgeName ?? NetworkNames.BridgeFor(name);
        if (!InterfaceName.IsValid(bridge))
        {
            throw Invalid("InvalidBridgeName", $"-BridgeName '{bridge}' is not a valid link name: 1 to 15 bytes without '/', ':' or whitespace.", bridge);
        }
        return new ContainerNetwork
        {
            Name = name,
            Subnet = range.ToString(),
            Gateway = gateway.ToString(),
            Bridge = bridge,
            CreatedAt = DateTime.UtcNow,
        };
    }

    private static ContainerPSException BridgeTaken(string bridge, string why) =>
        new("BridgeExists", FailureKind.ResourceExists, $"The bridge name {bridge} is taken: {why}. Give the network another -Name, or another -BridgeName.", bridge);

    private static ContainerPSException Invalid(string reason, string message, string target) => new(reason, FailureKind.InvalidArgument, message, target);
}
