using ContainerPS.Core.ContainerNetworks;

namespace ContainerPS.Core.Tests.Network.ContainerNetworks;

/// <summary>What a container on a network finds in /etc/hosts and /etc/resolv.conf.</summary>
public class ContainerEtcFilesTests
{
    [Fact]
    public void Hosts_names_the_container_by_hostname_and_name_at_each_address()
    {
        Assert.Equal(
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.88.0.2\tweb web-1\n10.89.0.5\tweb web-1\n",
            ContainerEtcFiles.Hosts("web-1", "web", ["10.88.0.2", "10.89.0.5"]));
        Assert.EndsWith("10.88.0.2\tweb\n", ContainerEtcFiles.Hosts("web", "web", ["10.88.0.2"]));
    }

    [Fact]
    public void Resolv_conf_keeps_the_hosts_nameservers_search_and_options_but_not_those_on_loopback()
    {
        var resolv = ContainerEtcFiles.ResolvConf("# a comment\nnameserver 127.0.0.53\nnameserver 10.255.255.53\nnameserver ::1\nsearch lan\noptions edns0 trust-ad\n");
        Assert.Equal(["nameserver 10.255.255.53", "search lan", "options edns0 trust-ad"], resolv.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')));
    }

    [Fact]
    public void Resolv_conf_says_when_no_nameserver_is_left()
    {
        Assert.Contains("no nameserver the container can reach", ContainerEtcFiles.ResolvConf("nameserver 127.0.0.53\n"));
    }
}
