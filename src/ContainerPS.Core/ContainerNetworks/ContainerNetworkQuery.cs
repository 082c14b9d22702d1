using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>Reads container networks with the containers attached to them now.</summary>
public static class ContainerNetworkQuery
{
    /// <summary>Every network with its containers; one whose network.json or leases.json cannot be read goes to <paramref name="damaged"/> instead.</summary>
    public static IReadOnlyList<ContainerNetwork> All(ContainerStore containers, Action<RecordDamagedException>? damaged = null)
    {
        var store = NetworkStore.For(containers);
        var all = new List<ContainerNetwork>();
        foreach (var network in store.List(damaged))
        {
            try
            {
                all.Add(WithAttachments(store, containers, network));
            }
            catch (RecordDamagedException e)
            {
                damaged?.Invoke(e);
            }
        }
        return all;
    }

    /// <summary>The stored definition, or NetworkNotFound.</summary>
    internal static ContainerNetwork Definition(NetworkStore store, string name) =>
        store.Read(name) ?? throw new ContainerPSException("NetworkNotFound", FailureKind.ObjectNotFound,
            $"No container network is named '{name}'. Get-ContainerNetwork lists the networks there are; New-ContainerNetwork makes one.", name);

    /// <summary>The networks a container is attached to, with what it got on each.</summary>
    public static IReadOnlyList<ContainerNetworkAttachment> AttachmentsOf(ContainerStore containers, string containerId) =>
        NetworkStore.For(containers).AllLeases().Where(l => l.ContainerId == containerId).ToArray();

    /// <summary>Leases whose container is still in the store; one whose container is gone (a killed session) is stale.</summary>
    internal static bool IsLive(ContainerStore containers, ContainerNetworkAttachment lease) => Directory.Exists(containers.Dir(lease.ContainerId));

    private static ContainerNetwork WithAttachments(NetworkStore store, ContainerStore containers, ContainerNetwork network)
    {
        var leases = store.ReadLeases(network.Name).Where(l => IsLive(containers, l)).ToArray();
        return new ContainerNetwork
        {
            Name = network.Name,
            Subnet = network.Subnet,
            Gateway = network.Gateway,
            Bridge = network.Bridge,
            CreatedAt = network.CreatedAt,
            Containers = leases.Select(l => l.ContainerName).ToArray(),
            Attachments = leases,
        };
    }
}
