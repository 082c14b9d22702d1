using ContainerPS.Core.ContainerNetworks;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Network.ContainerNetworks;

/// <summary>The nft script written from the records: what is masqueraded and forwarded, and that it replaces the table whole.</summary>
public class NatRulesTests
{
    private static readonly ContainerNetwork Net = new() { Name = "net", Subnet = "10.88.0.0/24", Gateway = "10.88.0.1", Bridge = "cps-br-net" };

    [Fact]
    public void No_network_means_no_table()
    {
        Assert.Equal("table ip containerps {}\ndelete table ip containerps\n", NatRules.Render([], []));
    }

    [Fact]
    public void Each_subnet_is_masqueraded_out_and_each_published_port_forwarded_in()
    {
        var web = new ContainerNetworkAttachment
        {
            Network = "net", ContainerId = "id", ContainerName = "web", Interface = "eth0", IPAddress = "10.88.0.2",
            Gateway = "10.88.0.1", HostLink = "cps-id-0",
            Published = [PublishedPort.Parse("8080:80"), PublishedPort.Parse("5353:53/UDP")],
        };
        var gone = new ContainerNetworkAttachment
        {
            Network = "removed", ContainerId = "old", ContainerName = "old", Interface = "eth0", IPAddress = "10.89.0.2",
            Gateway = "10.89.0.1", HostLink = "cps-old-0", Published = [PublishedPort.Parse("9090:90")],
        };
        var script = NatRules.Render([Net], [web, gone]);

        // Replaced in one transaction: whatever was there is deleted in the same script that writes the new table.
        Assert.StartsWith("table ip containerps {}\ndelete table ip containerps\ntable ip containerps {\n", script);
        Assert.Contains("ip saddr 10.88.0.0/24 oifname != \"cps-br-net\" masquerade", script);
        Assert.Contains("tcp dport 8080 dnat to 10.88.0.2:80 comment \"web on net\"", script);
        Assert.Contains("udp dport 5353 dnat to 10.88.0.2:53", script);
        Assert.DoesNotContain("9090", script); // a lease of a network no longer there forwards nothing
        Assert.Equal(2, script.Split("fib daddr type local jump published").Length - 1); // from outside and from the host
    }

    [Theory]
    [InlineData("80")]
    [InlineData("0:80")]
    [InlineData("8080:65536")]
    [InlineData("8080:80/sctp")]
    [InlineData("a:80")]
    public void A_bad_publish_is_refused(string text)
    {
        Assert.Equal("InvalidPublish", Assert.Throws<ContainerPS.Core.Interop.ContainerPSException>(() => PublishedPort.Parse(text)).Reason);
    }
}
