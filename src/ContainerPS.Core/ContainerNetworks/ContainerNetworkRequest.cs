using System.Net;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// A container's ask of a network (New-Container -Network NAME, Connect-ContainerNetwork), checked before anything
/// is made: the network exists, the ports parse and are free, the address is one the network can give.
/// </summary>
public sealed class ContainerNetworkRequest
{
    public required ContainerNetwork Network { get; init; }
    public IPAddress? Address { get; init; }
    public PublishedPort[] Published { get; init; } = [];

    /// <summary>The request of New-Container's options, or null for -Network none or host.</summary>
    public static ContainerNetworkRequest? For(ContainerStore containers, CreateOptions options) =>
        ContainerNetworkMode.IsNamed(options.Network) ? Resolve(containers, options.Network!, options.IPAddress, options.Publish) : null;

    public static ContainerNetworkRequest Resolve(ContainerStore containers, string networkName, string? address, IReadOnlyList<string> publish)
    {
        var store = NetworkStore.For(containers);
        var network = ContainerNetworkQuery.Definition(store, networkName);
        var published = publish.Select(PublishedPort.Parse).ToArray();
        var leases = store.ReadLeases(network.Name).Where(l => ContainerNetworkQuery.IsLive(containers, l)).ToArray();
        var request = new ContainerNetworkRequest
        {
            Network = network,
            Address = address is null ? null : AddressPool.Check(network, address, leases),
            Published = published,
        };
        CheckPorts(request.Published, store.AllLeases().Where(l => ContainerNetworkQuery.IsLive(containers, l)));
        return request;
    }

    /// <summary>A host port and protocol forward to one container only, and never one a host process listens on.</summary>
    internal static void CheckPorts(IReadOnlyList<PublishedPort> published, IEnumerable<ContainerNetworkAttachment> leases)
    {
        var seen = new HashSet<(int, PortProtocol)>();
        foreach (var port in published)
        {
            if (!seen.Add((port.HostPort, port.Protocol)))
            {
                throw PortTaken(port, "this request publishes it twice");
            }
        }
        foreach (var lease in leases)
        {
            if (lease.Published.FirstOrDefault(p => seen.Contains((p.HostPort, p.Protocol))) is { } taken)
            {
                throw PortTaken(taken, $"container '{lease.ContainerName}' publishes it on network '{lease.Network}'");
            }
        }
        if (published.FirstOrDefault(HostPortProbe.InUse) is { } held)
        {
            throw new ContainerPSException("PortInUseOnHost", FailureKind.ResourceExists,
                $"Host port {held.HostPort}/{Name(held.Protocol)} is in use: a process of the host listens on it, and publishing it would send its connections to the container instead. Choose another host port, or stop that process first (ss -lntup shows it).", held.ToString());
        }
    }

    private static string Name(PortProtocol protocol) => protocol.ToString().ToLowerInvariant();

    private static ContainerPSException PortTaken(PublishedPort port, string why) =>
        new("PortAlreadyPublished", FailureKind.ResourceExists,
            $"Host port {port.HostPort}/{Name(port.Protocol)} is already published: {why}. Choose another host port.", port.ToString());
}
