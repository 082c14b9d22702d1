using ContainerPS.Core.Network;

namespace ContainerPS.Core.Tests.Network;

[Collection(KernelNetworkCollection.Name)]
public class AddressTests
{
    [SkippableFact]
    public void IPv4_and_IPv6_addresses_are_added_listed_as_ip_lists_them_and_deleted()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var (name, peerName) = (scratch.Link("aa"), scratch.Link("ab"));
        Veth.Create(socket, name, peerName);
        var index = Link.Get(socket, name).Index;
        var v4 = Cidr.Parse($"{ScratchNetwork.V4(0, 1)}/30");
        var v6 = Cidr.Parse($"fd00:c9:{ScratchNetwork.Octet:x}::1/64");

        Address.Add(socket, index, v4);
        Address.Add(socket, index, v6);

        var addresses = Address.List(socket, index);
        Assert.Equal([v4, v6], addresses.Select(a => a.Cidr));
        Assert.Equal(name, addresses[0].Label);
        Assert.Equal(NetworkScope.Global, addresses[1].Scope);
        IpAgreement.Addresses(addresses, Ip.Json("addr", "show", "dev", name).EnumerateArray().Single());
        Assert.Contains(Address.List(socket), a => a.LinkIndex == index && a.Cidr == v4);

        Address.Delete(socket, index, v4);
        Address.Delete(socket, index, v6);

        Assert.Empty(Address.List(socket, index));
        Assert.Empty(Ip.Json("addr", "show", "dev", name).EnumerateArray().Single().GetProperty("addr_info").EnumerateArray());
    }
}
