using System.Text.Json.Serialization;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// A container network: an IPv4 subnet behind a bridge on the host whose address is the gateway, with NAT to the
/// outside. Stored as network.json under /run/containerps/networks/NAME/; plain data, so it survives remoting.
/// </summary>
public sealed class ContainerNetwork
{
    public required string Name { get; init; }

    /// <summary>"10.88.0.0/24": no host bits.</summary>
    public required string Subnet { get; init; }

    /// <summary>The bridge's address, the containers' default route: the subnet's first address unless chosen.</summary>
    public required string Gateway { get; init; }

    /// <summary>The bridge on the host: cps-br-NAME, or cps-br- and a hash when the name is too long for a link.</summary>
    public required string Bridge { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>The containers attached now, by name (filled when read, not stored here: the leases say it).</summary>
    [JsonIgnore]
    public string[] Containers { get; init; } = [];

    /// <summary>What each attached container got: address, interfaces, published ports.</summary>
    [JsonIgnore]
    public ContainerNetworkAttachment[] Attachments { get; init; } = [];

    internal Ipv4Subnet Range => Ipv4Subnet.Parse(Subnet);

    internal uint GatewayAddress => Ipv4Subnet.ToUInt32(System.Net.IPAddress.Parse(Gateway));

    public override string ToString() => Name;
}
