using System.Net;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>A network's bridge on the host: its gateway address, up, with route_localnet so published ports answer on 127.0.0.1.</summary>
internal static class NetworkBridge
{
    private const int ENODEV = 19;

    public static void Create(NetlinkSocket host, ContainerNetwork network)
    {
        Bridge.Create(host, network.Bridge);
        var bridge = Link.Get(host, network.Bridge);
        Address.Add(host, bridge.Index, new Cidr(IPAddress.Parse(network.Gateway), network.Range.PrefixLength));
        Sysctl.Write($"net/ipv4/conf/{network.Bridge}/route_localnet", "1");
        Link.SetUp(host, bridge.Index);
    }

    /// <summary>Deletes a link of ours by name; one already gone (a veth whose container ended) is fine.</summary>
    public static void DeleteLink(NetlinkSocket host, string name)
    {
        try
        {
            Link.Delete(host, name);
        }
        catch (NetlinkException e) when (e.Errno == ENODEV)
        {
        }
    }

    public static void DeleteLink(string name)
    {
        using var host = NetlinkSocket.Open();
        DeleteLink(host, name);
    }
}
