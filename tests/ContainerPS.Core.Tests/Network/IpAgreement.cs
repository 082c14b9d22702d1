using System.Text.Json;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.Tests.Network;

/// <summary>Field-by-field comparison of what the netlink layer decoded with what `ip -j` printed for the same object.</summary>
internal static class IpAgreement
{
    /// <summary>One link against its `ip -d -j link` entry; <paramref name="sameNamespace"/> resolves the names ip prints for master and peer.</summary>
    public static void Link(NetworkLink link, JsonElement ip, IReadOnlyList<NetworkLink> sameNamespace)
    {
        Assert.Equal(ip.GetProperty("ifindex").GetInt32(), link.Index);
        Assert.Equal(ip.GetProperty("ifname").GetString(), link.Name);
        Assert.Equal(ip.GetProperty("mtu").GetInt32(), link.Mtu);
        Assert.Equal(Optional(ip, "address"), link.MacAddress);
        Assert.Equal(ip.GetProperty("operstate").GetString(), link.OperationalState.ToString().ToUpperInvariant());
        var flags = ip.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToHashSet();
        Assert.Equal(flags.Contains("UP"), link.IsUp);
        Assert.Equal(flags.Contains("LOWER_UP"), link.IsLowerUp);
        Assert.Equal(Optional(ip, "master"), link.MasterIndex is { } master ? sameNamespace.Single(l => l.Index == master).Name : null);
        var kind = ip.TryGetProperty("linkinfo", out var info) ? Optional(info, "info_kind") : null;
        Assert.Equal(kind, link.Kind);
        if (Optional(ip, "link") is { } peerName)
        {
            Assert.Equal(peerName, sameNamespace.Single(l => l.Index == link.LinkIndex).Name);
        }
        else
        {
            Assert.Equal(ip.TryGetProperty("link_index", out var peer) ? peer.GetInt32() : null, link.LinkIndex);
        }
        Assert.Equal(Optional(ip, "group") is "default" ? 0u : uint.Parse(Optional(ip, "group")!), link.Group);
        Assert.Equal(ip.TryGetProperty("link_netnsid", out var netnsId) ? netnsId.GetInt32() : null, link.LinkNamespaceId);
    }

    /// <summary>The addresses of one link against the addr_info of its `ip -j addr` entry, in the same order.</summary>
    public static void Addresses(IReadOnlyList<NetworkAddress> ours, JsonElement ipLink)
    {
        var theirs = ipLink.GetProperty("addr_info").EnumerateArray().Select(a =>
            $"{a.GetProperty("family").GetString()} {a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}" +
            $" scope {a.GetProperty("scope").GetString()} label {Optional(a, "label")} tentative {a.TryGetProperty("tentative", out _)}");
        var mine = ours.Select(a =>
            $"{(a.Family == System.Net.Sockets.AddressFamily.InterNetwork ? "inet" : "inet6")} {a.Address}/{a.PrefixLength}" +
            $" scope {a.Scope.ToString().ToLowerInvariant()} label {a.Label} tentative {a.Flags.HasFlag(AddressFlags.Tentative)}");
        Assert.Equal(theirs, mine);
    }

    /// <summary>One route against its `ip -j route` entry.</summary>
    public static void Route(NetworkRoute route, JsonElement ip, IReadOnlyList<NetworkLink> sameNamespace)
    {
        var destination = route.IsDefault ? "default" : route.Destination.ToString();
        Assert.Equal(ip.GetProperty("dst").GetString(), destination);
        Assert.Equal(Optional(ip, "gateway"), route.Gateway?.ToString());
        Assert.Equal(Optional(ip, "dev"), route.OutputLinkIndex is { } dev ? sameNamespace.Single(l => l.Index == dev).Name : null);
        Assert.Equal(Optional(ip, "scope") ?? "global", route.Scope.ToString().ToLowerInvariant());
        Assert.Equal(Optional(ip, "protocol") ?? "boot", route.Protocol.ToString().ToLowerInvariant());
        Assert.Equal(Optional(ip, "prefsrc"), route.PreferredSource?.ToString());
        Assert.Equal(ip.TryGetProperty("metric", out var metric) ? metric.GetInt32() : null, route.Metric is 0 ? null : route.Metric);
    }

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
