using ContainerPS.Core.Containers;
using ContainerPS.Core.ContainerNetworks;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Network.ContainerNetworks;

/// <summary>IPAM arithmetic, no kernel: which address a container gets, and which it may ask for.</summary>
public class AddressPoolTests
{
    private static readonly ContainerNetwork Net = new() { Name = "net", Subnet = "10.88.0.0/29", Gateway = "10.88.0.1", Bridge = "cps-br-net" };

    [Fact]
    public void The_lowest_address_that_is_neither_the_gateway_nor_leased_goes_first()
    {
        Assert.Equal("10.88.0.2", AddressPool.Next(Net, []).ToString());
        Assert.Equal("10.88.0.4", AddressPool.Next(Net, [Lease("a", "10.88.0.2"), Lease("b", "10.88.0.3")]).ToString());
        var gatewayInTheMiddle = new ContainerNetwork { Name = "mid", Subnet = "10.88.0.0/29", Gateway = "10.88.0.2", Bridge = "cps-br-mid" };
        Assert.Equal("10.88.0.3", AddressPool.Next(gatewayInTheMiddle, [Lease("a", "10.88.0.1")]).ToString());
    }

    [Fact]
    public void A_full_network_says_so_and_never_hands_out_the_broadcast_address()
    {
        var leases = Enumerable.Range(2, 5).Select(n => Lease($"c{n}", $"10.88.0.{n}")).ToArray(); // .2 to .6; .7 is broadcast
        var full = Assert.Throws<ContainerPSException>(() => AddressPool.Next(Net, leases));
        Assert.Equal("NetworkFull", full.Reason);
        Assert.Equal(FailureKind.ResourceUnavailable, full.Kind);
    }

    [Theory]
    [InlineData("10.88.0.6", null)]
    [InlineData("10.88.0.9", "AddressOutsideSubnet")]
    [InlineData("10.88.0.0", "AddressNotAssignable")]
    [InlineData("10.88.0.7", "AddressNotAssignable")]
    [InlineData("10.88.0.1", "AddressIsGateway")]
    [InlineData("10.88.0.3", "AddressInUse")]
    [InlineData("10.88.3", "InvalidIPAddress")]
    [InlineData("fd00::3", "InvalidIPAddress")]
    public void An_asked_for_address_must_be_a_free_host_address_of_the_subnet(string asked, string? reason)
    {
        var leases = new[] { Lease("b", "10.88.0.3") };
        if (reason is null)
        {
            Assert.Equal(asked, AddressPool.Check(Net, asked, leases).ToString());
            return;
        }
        Assert.Equal(reason, Assert.Throws<ContainerPSException>(() => AddressPool.Check(Net, asked, leases)).Reason);
    }

    private static ContainerNetworkAttachment Lease(string container, string address) => new()
    {
        Network = Net.Name,
        ContainerId = container,
        ContainerName = container,
        Interface = "eth0",
        IPAddress = address,
        Gateway = Net.Gateway,
        HostLink = "cps-" + container,
    };
}
