using System.Text;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// The nftables table `ip containerps`, written whole from the store: per network, MASQUERADE of its subnet to
/// anything but its own bridge; per published port, a DNAT from every local address (arriving from outside, in
/// prerouting, and from the host itself, in output). Each change loads the whole table in one nft transaction
/// (create, delete, create), so the kernel has the old table or the new one, never half; with no network left the
/// table is deleted. Only this table is ever touched. Callers hold the store's lock.
/// </summary>
public static class NatRules
{
    public const string Table = "containerps";

    /// <summary>Makes the table match the store's networks and leases.</summary>
    public static void Apply(NetworkStore store) => Apply(store.List(), store.AllLeases());

    public static void Apply(IReadOnlyList<ContainerNetwork> networks, IReadOnlyList<ContainerNetworkAttachment> attachments) =>
        NftCommand.Load(Render(networks, attachments));

    public static string Render(IReadOnlyList<ContainerNetwork> networks, IReadOnlyList<ContainerNetworkAttachment> attachments)
    {
        var script = new StringBuilder();
        // Adding first makes the delete valid whether or not the table exists: one transaction replaces or removes it.
        script.Append($"table ip {Table} {{}}\ndelete table ip {Table}\n");
        if (networks.Count == 0)
        {
            return script.ToString();
        }
        var names = networks.Select(n => n.Name).ToHashSet();
        script.Append($"table ip {Table} {{\n");
        Chain(script, "prerouting", "type nat hook prerouting priority dstnat; policy accept;", ["fib daddr type local jump published"]);
        Chain(script, "output", "type nat hook output priority -100; policy accept;", ["fib daddr type local jump published"]);
        Chain(script, "published", null, attachments
            .Where(a => names.Contains(a.Network))
            .SelectMany(a => a.Published.Select(p =>
                $"{Protocol(p)} dport {p.HostPort} dnat to {a.IPAddress}:{p.ContainerPort} comment \"{a.ContainerName} on {a.Network}\"")));
        Chain(script, "postrouting", "type nat hook postrouting priority srcnat; policy accept;", networks.SelectMany(n => new[]
        {
            $"ip saddr {n.Subnet} oifname != \"{n.Bridge}\" masquerade comment \"{n.Name} to the outside\"",
            // DNAT from the host's own 127.0.0.1 leaves with that source; the bridge has route_localnet, and this makes it the gateway.
            $"oifname \"{n.Bridge}\" ip saddr 127.0.0.0/8 masquerade comment \"{n.Name} published ports from the host\"",
            // A container reaching a published port of its own network through a host address: answers must come back the same way.
            $"oifname \"{n.Bridge}\" ip saddr {n.Subnet} ct status dnat masquerade comment \"{n.Name} published ports from the network\"",
        }));
        script.Append("}\n");
        return script.ToString();
    }

    private static void Chain(StringBuilder script, string name, string? hook, IEnumerable<string> rules)
    {
        script.Append($"\tchain {name} {{\n");
        if (hook is not null)
        {
            script.Append($"\t\t{hook}\n");
        }
        foreach (var rule in rules)
        {
            script.Append($"\t\t{rule}\n");
        }
        script.Append("\t}\n");
    }

    private static string Protocol(PublishedPort port) => port.Protocol == PortProtocol.Udp ? "udp" : "tcp";
}
