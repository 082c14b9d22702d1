using ContainerPS.Core.Network;

namespace ContainerPS.Core.Tests.Network;

[Collection(KernelNetworkCollection.Name)]
public class BridgeTests
{
    [SkippableFact]
    public void Veth_end_enslaved_to_a_bridge_shows_it_as_master_until_released()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var (bridgeName, name, peerName) = (scratch.Link("br"), scratch.Link("pa"), scratch.Link("pb"));
        Bridge.Create(socket, bridgeName);
        Veth.Create(socket, name, peerName);
        var bridge = Link.Get(socket, bridgeName);
        var port = Link.Get(socket, name);
        Assert.Equal("bridge", bridge.Kind);

        Link.SetMaster(socket, port.Index, bridge.Index);

        var links = Link.List(socket);
        port = links.Single(l => l.Name == name);
        Assert.Equal(bridge.Index, port.MasterIndex);
        Assert.Null(links.Single(l => l.Name == peerName).MasterIndex);
        IpAgreement.Link(port, Ip.Json("-d", "link", "show", "dev", name).EnumerateArray().Single(), links);
        IpAgreement.Link(links.Single(l => l.Name == bridgeName), Ip.Json("-d", "link", "show", "dev", bridgeName).EnumerateArray().Single(), links);

        Link.ClearMaster(socket, port.Index);

        Assert.Null(Link.Get(socket, port.Index).MasterIndex);
        Assert.False(Ip.Json("link", "show", "dev", name).EnumerateArray().Single().TryGetProperty("master", out _));
        Link.Delete(socket, bridge.Index);
        Assert.Null(Link.TryGet(socket, bridgeName));
    }
}
