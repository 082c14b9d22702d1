using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// Takes a container off a network: deletes its veth (both ends: the one in the container goes too), releases the
/// lease, re-makes the NAT table without its ports (if it had any), and rewrites its /etc/hosts. Run again after a failure, it picks
/// up where it stopped (a veth already gone is fine).
/// </summary>
public static class ContainerNetworkDisconnect
{
    public static void Run(ContainerStore containers, Container container, string networkName)
    {
        var store = NetworkStore.For(containers);
        using (store.Lock())
        {
            var network = ContainerNetworkQuery.Definition(store, networkName);
            var leases = store.ReadLeases(network.Name);
            var lease = leases.FirstOrDefault(l => l.ContainerId == container.Id) ?? throw new ContainerPSException("ContainerNotConnected", FailureKind.ObjectNotFound,
                $"Container '{container.Name}' is not connected to network '{network.Name}'.", container);
            NetworkBridge.DeleteLink(lease.HostLink);
            leases.Remove(lease);
            store.WriteLeases(network.Name, leases);
            if (lease.Published.Length > 0)
            {
                NatRules.Apply(store);
            }
        }
        ContainerEtcFiles.UpdateHosts(containers, container.Id);
    }

    /// <summary>
    /// Everything the container got on every network, for Remove-Container: veths, leases, NAT rules. A network whose
    /// leases.json cannot be read is passed over, and the container's host links are then found by their names.
    /// </summary>
    public static void All(ContainerStore containers, string containerId)
    {
        var store = NetworkStore.For(containers);
        if (!store.Exists)
        {
            return;
        }
        using (store.Lock())
        {
            var published = false;
            var unreadable = false;
            foreach (var name in store.Names())
            {
                List<ContainerNetworkAttachment> leases;
                try
                {
                    leases = store.ReadLeases(name);
                }
                catch (RecordDamagedException)
                {
                    unreadable = true;
                    continue;
                }
                var mine = leases.Where(l => l.ContainerId == containerId).ToArray();
                foreach (var lease in mine)
                {
                    NetworkBridge.DeleteLink(lease.HostLink);
                    leases.Remove(lease);
                    published |= lease.Published.Length > 0;
                }
                if (mine.Length > 0)
                {
                    store.WriteLeases(name, leases);
                }
            }
            if (unreadable)
            {
                DeleteHostLinksByName(store, containerId);
            }
            if (published)
            {
                NatRules.Apply(store);
            }
        }
    }

    /// <summary>
    /// The host ends of the container's veths, by name (cps-IDPREFIX-N), when a lease that names them cannot be read.
    /// A link a readable lease gives to another container (whose id begins alike) is left alone.
    /// </summary>
    private static void DeleteHostLinksByName(NetworkStore store, string containerId)
    {
        var prefix = NetworkNames.HostLinkFor(containerId, 0)[..^1];
        var others = store.AllLeases().Where(l => l.ContainerId != containerId).Select(l => l.HostLink).ToHashSet(StringComparer.Ordinal);
        using var host = NetlinkSocket.Open();
        foreach (var link in Link.List(host).Where(l => l.Name.StartsWith(prefix, StringComparison.Ordinal) && l.Name[prefix.Length..].All(char.IsAsciiDigit) && !others.Contains(l.Name)))
        {
            NetworkBridge.DeleteLink(host, link.Name);
        }
    }
}
