using ContainerPS.Core.Network;

namespace ContainerPS.Core.Tests.Network;

[Collection(KernelNetworkCollection.Name)]
public class VethTests
{
    [SkippableFact]
    public void Veth_pair_is_created_listed_as_ip_shows_it_and_deleted_with_both_ends()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var (name, peerName) = (scratch.Link("va"), scratch.Link("vb"));

        Veth.Create(socket, name, peerName);

        var links = Link.List(socket);
        var end = links.Single(l => l.Name == name);
        var peer = links.Single(l => l.Name == peerName);
        Assert.Equal(("veth", "veth"), (end.Kind, peer.Kind));
        Assert.Equal((peer.Index, end.Index), (end.LinkIndex, peer.LinkIndex));
        Assert.Null(end.LinkNamespaceId);
        Assert.False(end.IsUp);
        Assert.Equal(end, Link.Get(socket, name));
        Assert.Equal(end, Link.Get(socket, end.Index));
        IpAgreement.Link(end, Ip.Json("-d", "link", "show", "dev", name).EnumerateArray().Single(), links);
        IpAgreement.Link(peer, Ip.Json("-d", "link", "show", "dev", peerName).EnumerateArray().Single(), links);

        Link.Delete(socket, name);

        Assert.Null(Link.TryGet(socket, name));
        Assert.Null(Link.TryGet(socket, peerName));
        Assert.Empty(ScratchNetwork.LinksOfThisRun());
    }

    [SkippableFact]
    public void Rename_mtu_mac_and_up_down_are_applied_as_ip_reports_them()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var (name, peerName, renamed) = (scratch.Link("ma"), scratch.Link("mb"), scratch.Link("mr"));
        Veth.Create(socket, name, peerName);
        var index = Link.Get(socket, name).Index;
        var peerIndex = Link.Get(socket, peerName).Index;

        Link.Rename(socket, index, renamed); // while down: the kernel refuses to rename a link that is up
        Link.SetMtu(socket, index, 1400);
        Link.SetMacAddress(socket, index, "02:00:00:c9:00:01");
        Link.SetUp(socket, index);
        Link.SetUp(socket, peerIndex);

        var link = WaitForOperationalState(socket, index, OperationalState.Up);
        Assert.Equal((renamed, 1400, "02:00:00:c9:00:01"), (link.Name, link.Mtu, link.MacAddress));
        Assert.True(link.IsUp);
        Assert.True(link.IsLowerUp);
        IpAgreement.Link(link, Ip.Json("-d", "link", "show", "dev", renamed).EnumerateArray().Single(), Link.List(socket));

        Link.SetDown(socket, peerIndex);
        link = WaitForOperationalState(socket, index, OperationalState.LowerLayerDown);
        Assert.True(link.IsUp);
        Assert.False(link.IsLowerUp); // its peer is down: no carrier
        Link.SetDown(socket, index);
        link = Link.Get(socket, index);
        Assert.False(link.IsUp);
        IpAgreement.Link(link, Ip.Json("-d", "link", "show", "dev", renamed).EnumerateArray().Single(), Link.List(socket));
    }

    /// <summary>The kernel updates operstate asynchronously (linkwatch), so a test waits for it to settle.</summary>
    internal static NetworkLink WaitForOperationalState(NetlinkSocket socket, int index, OperationalState state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var link = Link.Get(socket, index);
            if (link.OperationalState == state || DateTime.UtcNow > deadline)
            {
                Assert.Equal(state, link.OperationalState);
                return link;
            }
            Thread.Sleep(20);
        }
    }
}
