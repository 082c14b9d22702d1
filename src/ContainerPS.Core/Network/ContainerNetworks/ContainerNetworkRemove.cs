using ContainerPS.Core.Containers;

namespace ContainerPS.Core.Network.ContainerNetworks;

/// <summary>
/// Removes a container network: refuses while containers are attached, unless forced, which disconnects them (their
/// veths deleted; they keep running without that interface). The NAT table is re-made first (atomic: if nft refuses,
/// nothing has changed), then the veths, the bridge and the records go; with the last network, ip_forward is put back.
/// </summary>
public static class ContainerNetworkRemove
{
    public static void Run(ContainerStore containers, string name, bool force)
    {
        var store = NetworkStore.For(containers);
        using var locked = store.Lock();
        var network = Check(containers, store, name, force);
        var leases = store.ReadLeases(name);
        var live = leases.Where(l => ContainerNetworkQuery.IsLive(containers, l)).ToArray();
        var remaining = store.List().Where(n => n.Name != name).ToArray();
        NatRules.Apply(remaining, store.AllLeases().Where(l => l.Network != name).ToArray());
        using (var host = NetlinkSocket.Open())
        {
            foreach (var lease in leases)
            {
                NetworkBridge.DeleteLink(host, lease.HostLink);
            }
            NetworkBridge.DeleteLink(host, network.Bridge);
        }
        if (remaining.Length == 0)
        {
            IpForwarding.Restore(store); // first: its record is in networks/, which goes with the last network
        }
        store.Delete(name);
        foreach (var lease in live)
        {
            ContainerEtcFiles.UpdateHosts(containers, lease.ContainerId);
        }
    }

    /// <summary>
    /// Throws what <see cref="Run"/> would refuse with (no such network; containers attached and no force) and changes
    /// nothing, so -WhatIf can say the real call would refuse. Run checks again under the lock.
    /// </summary>
    public static void Check(ContainerStore containers, string name, bool force) => Check(containers, NetworkStore.For(containers), name, force);

    private static ContainerNetwork Check(ContainerStore containers, NetworkStore store, string name, bool force)
    {
        var network = ContainerNetworkQuery.Definition(store, name);
        var live = store.ReadLeases(name).Where(l => ContainerNetworkQuery.IsLive(containers, l)).ToArray();
        if (live.Length > 0 && !force)
        {
            throw new ContainerPSException("NetworkInUse", FailureKind.InvalidOperation,
                $"Network '{name}' has containers attached: {string.Join(", ", live.Select(l => l.ContainerName))}. Disconnect them (Disconnect-ContainerNetwork) or remove them first, or use -Force to disconnect them.", name);
        }
        return network;
    }
}
