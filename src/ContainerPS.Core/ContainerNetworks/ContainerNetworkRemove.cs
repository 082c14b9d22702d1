using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// Removes a container network: refuses while containers are attached, unless forced, which disconnects them (their
/// veths deleted; they keep running without that interface). The NAT table is re-made first (atomic: if nft refuses,
/// nothing has changed), then the veths, the bridge and the records go; with the last network, ip_forward is put back.
/// A network whose network.json or leases.json cannot be read is removed only when forced, from what the kernel shows:
/// its bridge by name and the links that are ports of it.
/// </summary>
public static class ContainerNetworkRemove
{
    public static void Run(ContainerStore containers, string name, bool force)
    {
        var store = NetworkStore.For(containers);
        using var locked = store.Lock();
        var (bridge, leases) = Check(containers, store, name, force);
        var live = leases?.Where(l => ContainerNetworkQuery.IsLive(containers, l)).ToArray() ?? [];
        var remaining = store.List().Where(n => n.Name != name).ToArray();
        NatRules.Apply(remaining, store.AllLeases().Where(l => l.Network != name).ToArray());
        using (var host = NetlinkSocket.Open())
        {
            // Without readable leases, the veths are the bridge's ports as the kernel lists them.
            var ports = leases?.Select(l => l.HostLink) ?? PortsOf(host, bridge);
            foreach (var port in ports.ToArray())
            {
                NetworkBridge.DeleteLink(host, port);
            }
            NetworkBridge.DeleteLink(host, bridge);
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
    /// Throws what <see cref="Run"/> would refuse with (no such network; containers attached and no force; a damaged
    /// record and no force) and changes nothing, so -WhatIf can say the real call would refuse. Run checks again under the lock.
    /// </summary>
    public static void Check(ContainerStore containers, string name, bool force) => Check(containers, NetworkStore.For(containers), name, force);

    /// <summary>The network's bridge and its leases; null leases when leases.json is damaged and the removal forced.</summary>
    private static (string Bridge, List<ContainerNetworkAttachment>? Leases) Check(ContainerStore containers, NetworkStore store, string name, bool force)
    {
        ContainerNetwork network;
        List<ContainerNetworkAttachment> leases;
        try
        {
            network = ContainerNetworkQuery.Definition(store, name);
            leases = store.ReadLeases(name);
        }
        catch (RecordDamagedException) when (force)
        {
            // The bridge's name follows from the network's, so a damaged network.json still tells us which links to delete.
            var bridge = TryRead(store, name)?.Bridge ?? NetworkNames.BridgeFor(name);
            return (bridge, null);
        }
        var live = leases.Where(l => ContainerNetworkQuery.IsLive(containers, l)).ToArray();
        if (live.Length > 0 && !force)
        {
            throw new ContainerPSException("NetworkInUse", FailureKind.InvalidOperation,
                $"Network '{name}' has containers attached: {string.Join(", ", live.Select(l => l.ContainerName))}. Disconnect them (Disconnect-ContainerNetwork) or remove them first, or use -Force to disconnect them.", name);
        }
        return (network.Bridge, leases);
    }

    private static ContainerNetwork? TryRead(NetworkStore store, string name)
    {
        try
        {
            return store.Read(name);
        }
        catch (RecordDamagedException)
        {
            return null;
        }
    }

    private static IEnumerable<string> PortsOf(NetlinkSocket host, string bridge) =>
        Link.TryGet(host, bridge) is { } master ? Link.List(host).Where(l => l.MasterIndex == master.Index).Select(l => l.Name) : [];
}
