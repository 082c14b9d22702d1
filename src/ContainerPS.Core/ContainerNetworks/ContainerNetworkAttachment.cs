using ContainerPS.Core.Network;
namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// What a container got on a network, and the lease that keeps its address: the address on its interface, the
/// host end of its veth on the bridge, its published ports. The network's leases.json holds one per container, so
/// the address and the rules outlive the session and go away with the container.
/// </summary>
public sealed record ContainerNetworkAttachment
{
    public required string Network { get; init; }
    public required string ContainerId { get; init; }
    public required string ContainerName { get; init; }

    /// <summary>The interface inside the container: eth0 for the network it was created on, eth1... for those connected later.</summary>
    public required string Interface { get; init; }

    public required string IPAddress { get; init; }
    public int PrefixLength { get; init; }
    public required string Gateway { get; init; }

    /// <summary>The host end of the veth, a port of the network's bridge: cps-IDPREFIX-N.</summary>
    public required string HostLink { get; init; }

    public PublishedPort[] Published { get; init; } = [];

    public DateTime AttachedAt { get; init; }

    /// <summary>
    /// The process making it, while its veth is not yet wired (pid and start time; 0 once wired, and in leases written
    /// before this member): a pending lease whose maker is gone was left half made by a kill, and the next connect of
    /// that container drops it instead of calling the container connected.
    /// </summary>
    public int PendingPid { get; init; }

    public ulong PendingStartTime { get; init; }

    public override string ToString() => $"{ContainerName} {IPAddress} on {Network}";
}
