using System.Net;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Network;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Network;

[Collection(KernelNetworkCollection.Name)]
public class RouteTests
{
    [SkippableFact]
    public void Routes_via_a_gateway_and_via_a_link_are_added_listed_as_ip_lists_them_and_deleted()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var (name, peerName) = (scratch.Link("ra"), scratch.Link("rb"));
        Veth.Create(socket, name, peerName);
        var index = Link.Get(socket, name).Index;
        Link.SetUp(socket, index);
        Link.SetUp(socket, Link.Get(socket, peerName).Index);
        Address.Add(socket, index, Cidr.Parse($"{ScratchNetwork.V4(1, 1)}/30"));
        Address.Add(socket, index, Cidr.Parse($"fd00:c9:{ScratchNetwork.Octet + 1:x}::1/64"));
        var viaGateway = Cidr.Parse($"{ScratchNetwork.V4(1, 64)}/26");
        var viaLink = Cidr.Parse($"{ScratchNetwork.V4(1, 128)}/26");
        var v6ViaGateway = Cidr.Parse($"fd00:c9:{ScratchNetwork.Octet + 1:x}:1::/64");

        Route.Add(socket, viaGateway, IPAddress.Parse(ScratchNetwork.V4(1, 2)));
        Route.Add(socket, viaLink, outputLinkIndex: index);
        Route.Add(socket, v6ViaGateway, IPAddress.Parse($"fd00:c9:{ScratchNetwork.Octet + 1:x}::2"), index);

        var links = Link.List(socket);
        var routes = Route.List(socket);
        var ipRoutes = Ip.Json("route", "show", "table", "main").EnumerateArray()
            .Concat(Ip.Json("-6", "route", "show", "table", "main").EnumerateArray()).ToList();
        foreach (var destination in new[] { viaGateway, viaLink, v6ViaGateway })
        {
            var route = routes.Single(r => r.Destination == destination);
            IpAgreement.Route(route, ipRoutes.Single(r => r.GetProperty("dst").GetString() == destination.ToString()), links);
            Assert.Equal(index, route.OutputLinkIndex);
        }
        Assert.Equal(NetworkScope.Link, routes.Single(r => r.Destination == viaLink).Scope);
        Assert.Equal(IPAddress.Parse(ScratchNetwork.V4(1, 2)), routes.Single(r => r.Destination == viaGateway).Gateway);
        Assert.All(routes, r => Assert.Equal(254, r.Table));

        Route.Delete(socket, viaGateway, IPAddress.Parse(ScratchNetwork.V4(1, 2)));
        Route.Delete(socket, viaLink);
        Route.Delete(socket, v6ViaGateway);

        var remaining = Route.List(socket).Select(r => r.Destination).ToList();
        Assert.DoesNotContain(viaGateway, remaining);
        Assert.DoesNotContain(viaLink, remaining);
        Assert.DoesNotContain(v6ViaGateway, remaining);
        Assert.Contains(Cidr.Parse($"{ScratchNetwork.V4(1, 0)}/30"), remaining); // the address's own subnet route stays
    }

    [Fact]
    public void A_destination_with_host_bits_or_no_way_out_is_refused_before_sending()
    {
        using var socket = NetlinkSocket.Open();
        var hostBits = Assert.Throws<ContainerPSException>(() => Route.Add(socket, Cidr.Parse("10.200.0.1/24"), IPAddress.Parse("10.200.0.2")));
        Assert.Contains("Route destination 10.200.0.1/24 has host bits set: the network is 10.200.0.0/24", hostBits.Message);
        var nowhere = Assert.Throws<ContainerPSException>(() => Route.Add(socket, Cidr.Parse("10.200.0.0/24")));
        Assert.Contains("needs a gateway, an output link, or both", nowhere.Message);
        var mixed = Assert.Throws<ContainerPSException>(() => Route.Add(socket, Cidr.Parse("10.200.0.0/24"), IPAddress.Parse("fd00::1")));
        Assert.Contains("not of the same address family", mixed.Message);
    }
}
