using System.Net;
using System.Net.Sockets;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Processes;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// Attaches a container to a network in two steps, each recorded in the caller's <see cref="Rollback"/>:
/// <see cref="Reserve"/> takes an address (the lease, under the store's lock), <see cref="Wire"/> makes the veth
/// once the container's process exists: the host end a port of the bridge, the other end created directly inside the
/// container's net namespace as ethN with the address, up, and the default route via the gateway if it has none;
/// then the NAT table is re-made with the container's published ports, if it has any. New-Container runs the two steps around the
/// shim's start (the process then waits on its exec fifo: nothing of the user's runs yet); Connect-ContainerNetwork runs
/// them for a container that exists already.
/// </summary>
public static class ContainerNetworkConnect
{
    /// <summary>Connects an existing container (Created, Running or Paused) as its next free ethN.</summary>
    public static ContainerNetworkAttachment Run(ContainerStore containers, Container container, ContainerNetworkRequest request)
    {
        if (Rootless.Active)
        {
            throw Rootless.NeedsRoot("NetworkNeedsRoot", $"Connecting '{container.Name}' to network '{request.Network.Name}'", "CAP_NET_ADMIN in the host's network namespace (a veth pair on its bridge)",
                "keep the container on its own loopback-only network namespace", request.Network.Name);
        }
        if (container.State == ContainerState.Stopped || container.Pid is not { } pid)
        {
            throw new ContainerPSException("ContainerNotRunning", FailureKind.InvalidOperation,
                $"Container '{container.Name}' is {container.State}: only a Created, Running or Paused container has a network namespace to connect.", container);
        }
        var spec = containers.ReadSpec(container.Id);
        if (spec is null || !spec.Namespaces.HasFlag(NamespaceKind.Net))
        {
            throw new ContainerPSException("ContainerHasNoNetworkNamespace", FailureKind.InvalidOperation,
                $"Container '{container.Name}' has no network namespace of its own (it uses the host's or another's), so it cannot be connected to a network.", container);
        }
        int number;
        using (var inside = NetlinkSocket.Open(NetworkNamespace.Process(pid)))
        {
            var names = Link.List(inside).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
            number = Enumerable.Range(0, 100).First(n => !names.Contains(NetworkNames.InterfaceFor(n)));
        }
        return Rollback.Run(rollback =>
        {
            var lease = Reserve(containers, request, container.Id, container.Name, number, rollback);
            CrashPoint.Reach("connect:leased");
            Wire(containers, lease, pid, rollback);
            CrashPoint.Reach("connect:wired");
            MarkWired(containers, lease);
            ContainerEtcFiles.UpdateHosts(containers, container.Id);
            return lease;
        });
    }

    /// <summary>
    /// Takes the address (the one asked for, or the lowest free one) and records the lease with the ports, under
    /// the store's lock. Leases of containers gone from the store are dropped first. Undone by releasing the lease.
    /// </summary>
    public static ContainerNetworkAttachment Reserve(ContainerStore containers, ContainerNetworkRequest request, string containerId, string containerName, int interfaceNumber, Rollback rollback)
    {
        var store = NetworkStore.For(containers);
        ContainerNetworkAttachment lease;
        using (store.Lock())
        {
            var network = ContainerNetworkQuery.Definition(store, request.Network.Name); // it may have been removed meanwhile
            var leases = store.ReadLeases(network.Name);
            foreach (var stale in leases.Where(l => !ContainerNetworkQuery.IsLive(containers, l)))
            {
                NetworkBridge.DeleteLink(stale.HostLink);
            }
            leases.RemoveAll(l => !ContainerNetworkQuery.IsLive(containers, l));
            if (leases.FirstOrDefault(l => l.ContainerId == containerId && IsHalfMade(l)) is { } halfMade)
            {
                NetworkBridge.DeleteLink(halfMade.HostLink);
                leases.Remove(halfMade);
            }
            if (leases.FirstOrDefault(l => l.ContainerId == containerId) is { } existing)
            {
                throw new ContainerPSException("ContainerAlreadyConnected", FailureKind.ResourceExists,
                    $"Container '{containerName}' is connected to network '{network.Name}' already, as {existing.Interface} with {existing.IPAddress}.", containerName);
            }
            ContainerNetworkRequest.CheckPorts(request.Published, leases.Concat(store.AllLeases().Where(l => l.Network != network.Name && ContainerNetworkQuery.IsLive(containers, l))));
            var address = request.Address is { } asked ? AddressPool.Check(network, asked.ToString(), leases) : AddressPool.Next(network, leases);
            lease = new ContainerNetworkAttachment
            {
                Network = network.Name,
                ContainerId = containerId,
                ContainerName = containerName,
                Interface = NetworkNames.InterfaceFor(interfaceNumber),
                IPAddress = address.ToString(),
                PrefixLength = network.Range.PrefixLength,
                Gateway = network.Gateway,
                HostLink = NetworkNames.HostLinkFor(containerId, interfaceNumber),
                Published = request.Published,
                AttachedAt = DateTime.UtcNow,
                PendingPid = Environment.ProcessId,
                PendingStartTime = ProcStat.StartTime(Environment.ProcessId) ?? 0,
            };
            leases.Add(lease);
            store.WriteLeases(network.Name, leases);
        }
        rollback.Add($"lease of {lease.IPAddress} on {lease.Network}", () => Release(containers, lease));
        return lease;
    }

    /// <summary>
    /// Makes the veth for a reserved lease into the net namespace of <paramref name="pid"/>, then, if it publishes
    /// ports, loads the NAT rules (the table depends on networks and published ports only, not on every lease).
    /// </summary>
    public static void Wire(ContainerStore containers, ContainerNetworkAttachment lease, int pid, Rollback rollback)
    {
        var store = NetworkStore.For(containers);
        var network = ContainerNetworkQuery.Definition(store, lease.Network);
        using (var host = NetlinkSocket.Open())
        {
            var bridge = Link.TryGet(host, network.Bridge) ?? throw new ContainerPSException("NetworkBridgeMissing", FailureKind.ObjectNotFound,
                $"The bridge {network.Bridge} of network '{network.Name}' is gone from the host. Remove the network (Remove-ContainerNetwork {network.Name} -Force) and create it again.", network.Name);
            Veth.Create(host, lease.HostLink, lease.Interface, NetworkNamespace.Process(pid));
            rollback.Add("veth " + lease.HostLink, () => NetworkBridge.DeleteLink(lease.HostLink));
            var hostEnd = Link.Get(host, lease.HostLink);
            Link.SetMaster(host, hostEnd.Index, bridge.Index);
            Link.SetUp(host, hostEnd.Index);
        }
        using (var inside = NetlinkSocket.Open(NetworkNamespace.Process(pid)))
        {
            var eth = Link.Get(inside, lease.Interface);
            Address.Add(inside, eth.Index, new Cidr(IPAddress.Parse(lease.IPAddress), lease.PrefixLength));
            Link.SetUp(inside, eth.Index);
            if (!Route.List(inside, AddressFamily.InterNetwork).Any(r => r.IsDefault))
            {
                Route.AddDefault(inside, IPAddress.Parse(lease.Gateway), eth.Index);
            }
        }
        if (lease.Published.Length > 0)
        {
            using (store.Lock())
            {
                NatRules.Apply(store);
            }
        }
    }

    /// <summary>Ends a lease's pending state: its veth is wired, and it stays when the process that made it ends.</summary>
    public static void MarkWired(ContainerStore containers, ContainerNetworkAttachment lease)
    {
        var store = NetworkStore.For(containers);
        using (store.Lock())
        {
            var leases = store.ReadLeases(lease.Network);
            var index = leases.FindIndex(l => l.ContainerId == lease.ContainerId && l.Interface == lease.Interface);
            if (index >= 0)
            {
                leases[index] = leases[index] with { PendingPid = 0, PendingStartTime = 0 };
                store.WriteLeases(lease.Network, leases);
            }
        }
    }

    /// <summary>Pending, and its maker gone: a kill between the lease and the end of its wiring.</summary>
    private static bool IsHalfMade(ContainerNetworkAttachment lease) =>
        lease.PendingPid != 0 && !ProcStat.IsAlive(lease.PendingPid, lease.PendingStartTime);

    /// <summary>Drops a lease and re-makes the NAT table without its ports, if it had any.</summary>
    public static void Release(ContainerStore containers, ContainerNetworkAttachment lease)
    {
        var store = NetworkStore.For(containers);
        using (store.Lock())
        {
            if (store.Read(lease.Network) is null)
            {
                return; // the network went with all its leases
            }
            var leases = store.ReadLeases(lease.Network);
            if (leases.RemoveAll(l => l.ContainerId == lease.ContainerId) > 0)
            {
                store.WriteLeases(lease.Network, leases);
                if (lease.Published.Length > 0)
                {
                    NatRules.Apply(store);
                }
            }
        }
    }
}
