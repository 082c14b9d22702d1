using System.Net;
using System.Text;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// /etc/hosts and /etc/resolv.conf for a container on a network: written in its state directory and bind-mounted
/// over the rootfs's (the spec's EtcFiles), so the rootfs itself is not changed. hosts names localhost and the
/// container (its hostname and name) at each of its addresses; resolv.conf has the host's nameservers, less those
/// on loopback, which the container cannot reach. Rewritten in place (same inode) when the container's networks
/// change, so the bind mount shows the new content.
/// </summary>
public static class ContainerEtcFiles
{
    private const string HostResolvConf = "/etc/resolv.conf";

    public static string HostsPath(string stateDir) => Path.Combine(stateDir, "hosts");
    public static string ResolvConfPath(string stateDir) => Path.Combine(stateDir, "resolv.conf");

    /// <summary>
    /// Writes both files and returns the mounts that put them at /etc/hosts and /etc/resolv.conf. A network that
    /// resolves names itself gives its <paramref name="nameserver"/> (slirp4netns's 10.0.2.3), which replaces the
    /// host's.
    /// </summary>
    public static MountSpec[] Create(string stateDir, string name, string? hostname, IEnumerable<string> addresses, string? nameserver = null)
    {
        var host = File.Exists(HostResolvConf) ? File.ReadAllText(HostResolvConf) : "";
        File.WriteAllText(HostsPath(stateDir), Hosts(name, hostname, addresses));
        File.WriteAllText(ResolvConfPath(stateDir), ResolvConf(nameserver is null ? host : $"nameserver {nameserver}\n" + WithoutNameservers(host)));
        return
        [
            new MountSpec { Source = HostsPath(stateDir), Destination = "/etc/hosts" },
            new MountSpec { Source = ResolvConfPath(stateDir), Destination = "/etc/resolv.conf" },
        ];
    }

    /// <summary>Rewrites the container's hosts file with its addresses now, if it has one of ours.</summary>
    public static void UpdateHosts(ContainerStore containers, string containerId)
    {
        var path = HostsPath(containers.Dir(containerId));
        if (!File.Exists(path) || containers.ReadSpec(containerId) is not { } spec)
        {
            return;
        }
        var addresses = ContainerNetworkQuery.AttachmentsOf(containers, containerId).OrderBy(a => a.Interface, StringComparer.Ordinal).Select(a => a.IPAddress);
        // Truncate and write, not rename: the container's /etc/hosts is a bind mount of this inode.
        File.WriteAllText(path, Hosts(spec.Name, spec.Hostname, addresses));
    }

    public static string Hosts(string name, string? hostname, IEnumerable<string> addresses)
    {
        var names = string.Join(' ', new[] { hostname, name }.OfType<string>().Distinct(StringComparer.Ordinal));
        var text = new StringBuilder();
        text.Append("127.0.0.1\tlocalhost\n");
        text.Append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        foreach (var address in addresses)
        {
            text.Append($"{address}\t{names}\n");
        }
        return text.ToString();
    }

    private static string WithoutNameservers(string resolvConf) =>
        string.Join('\n', resolvConf.Split('\n').Where(line => !line.TrimStart().StartsWith("nameserver", StringComparison.Ordinal)));

    /// <summary>The host's nameserver, search and options lines, less nameservers on loopback (127.0.0.53 and the like).</summary>
    public static string ResolvConf(string hostResolvConf)
    {
        var kept = new List<string>();
        foreach (var raw in hostResolvConf.Split('\n'))
        {
            var line = raw.Trim();
            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                continue;
            }
            if (fields[0] == "nameserver" && IPAddress.TryParse(fields[1], out var server) && !IPAddress.IsLoopback(server))
            {
                kept.Add(line);
            }
            else if (fields[0] is "search" or "domain" or "options")
            {
                kept.Add(line);
            }
        }
        var text = new StringBuilder("# written by ContainerPS from the host's /etc/resolv.conf\n");
        if (!kept.Any(l => l.StartsWith("nameserver", StringComparison.Ordinal)))
        {
            text.Append("# the host has no nameserver the container can reach (none, or only on loopback)\n");
        }
        foreach (var line in kept)
        {
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }
}
