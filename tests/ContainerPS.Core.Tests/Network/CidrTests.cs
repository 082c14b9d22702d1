using System.Net;
using System.Net.Sockets;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Network;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Network;

public class CidrTests
{
    [Theory]
    [InlineData("10.200.0.1/30", AddressFamily.InterNetwork, "10.200.0.0/30", false)]
    [InlineData("10.200.0.0/24", AddressFamily.InterNetwork, "10.200.0.0/24", true)]
    [InlineData("0.0.0.0/0", AddressFamily.InterNetwork, "0.0.0.0/0", true)]
    [InlineData("fd00:c9::1/64", AddressFamily.InterNetworkV6, "fd00:c9::/64", false)]
    [InlineData("fd00:c9:0:0:8000::/65", AddressFamily.InterNetworkV6, "fd00:c9:0:0:8000::/65", true)]
    public void Parses_an_address_with_its_prefix_and_knows_its_network(string text, AddressFamily family, string network, bool isNetwork)
    {
        var cidr = Cidr.Parse(text);
        Assert.Equal(family, cidr.Family);
        Assert.Equal(network, cidr.Network.ToString());
        Assert.Equal(isNetwork, cidr.IsNetwork);
        Assert.Equal(cidr, Cidr.Parse(cidr.ToString()));
    }

    [Theory]
    [InlineData("10.200.0.1", "it has no '/prefix'")]
    [InlineData("10.200.0.1/33", "the prefix length '33' is not a number from 0 to 32")]
    [InlineData("fd00::1/129", "the prefix length '129' is not a number from 0 to 128")]
    [InlineData("10.200.0.1/-1", "the prefix length '-1' is not a number from 0 to 32")]
    [InlineData("10.200/16", "'10.200' is not an IPv4 or IPv6 address")]
    [InlineData("host/24", "'host' is not an IPv4 or IPv6 address")]
    public void Bad_input_says_what_is_wrong_and_what_a_valid_one_looks_like(string text, string problem)
    {
        var error = Assert.Throws<ContainerPSException>(() => Cidr.Parse(text));
        Assert.Equal("InvalidCidrAddress", error.Reason);
        Assert.Contains($"'{text}' is not a CIDR address: {problem}.", error.Message);
        Assert.Contains("like 10.200.0.1/30 or fd00::1/64", error.Message);
        Assert.False(Cidr.TryParse(text, out _));
    }

    [Fact]
    public void Default_destinations_have_prefix_zero()
    {
        Assert.Equal(new Cidr(IPAddress.Any, 0), Cidr.Default(AddressFamily.InterNetwork));
        Assert.Equal("::/0", Cidr.Default(AddressFamily.InterNetworkV6).ToString());
    }
}
