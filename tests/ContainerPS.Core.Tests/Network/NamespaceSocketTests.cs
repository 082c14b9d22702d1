using System.Diagnostics;
using System.Net;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;
using ContainerPS.Core.Tests.Rootfs;

namespace ContainerPS.Core.Tests.Network;

[Collection(KernelNetworkCollection.Name)]
public class NamespaceSocketTests
{
    [SkippableFact]
    public void Veth_peer_made_inside_a_namespace_carries_ping_from_the_host()
    {
        using var scratch = new ScratchNetwork();
        var ns = scratch.Namespace("");
        var target = NetworkNamespace.Named(ns);
        var threadNamespace = ThreadNamespace();
        using var host = NetlinkSocket.Open();
        using var inside = NetlinkSocket.Open(target);
        var (hostName, peerName) = (scratch.Link("nh"), scratch.Link("np"));
        var (hostAddress, peerAddress) = (ScratchNetwork.V4(2, 1), ScratchNetwork.V4(2, 2));

        Veth.Create(host, hostName, peerName, target);

        Assert.Null(Link.TryGet(host, peerName)); // the peer never existed on the host
        var hostEnd = Link.Get(host, hostName);
        var peer = Link.Get(inside, peerName);
        Assert.Equal(peer.Index, hostEnd.LinkIndex);
        Assert.NotNull(hostEnd.LinkNamespaceId);
        Address.Add(host, hostEnd.Index, Cidr.Parse($"{hostAddress}/30"));
        Address.Add(inside, peer.Index, Cidr.Parse($"{peerAddress}/30"));
        Link.SetUp(host, hostEnd.Index);
        Link.SetUp(inside, peer.Index);
        Link.SetUp(inside, Link.Get(inside, "lo").Index);
        Route.AddDefault(inside, IPAddress.Parse(hostAddress));

        Assert.True(PingWithinSeconds(peerAddress, 3), $"ping {peerAddress} from the host through {hostName} got no answer");

        var links = Link.List(inside);
        var ipLinks = Ip.Json("-n", ns, "-d", "link", "show").EnumerateArray().ToList();
        Assert.Equal(ipLinks.Select(l => l.GetProperty("ifname").GetString()).Order(), links.Select(l => l.Name).Order());
        foreach (var link in links)
        {
            IpAgreement.Link(link, ipLinks.Single(l => l.GetProperty("ifindex").GetInt32() == link.Index), links);
        }
        IpAgreement.Addresses(Address.List(inside, peer.Index), Ip.Json("-n", ns, "addr", "show", "dev", peerName).EnumerateArray().Single());
        var defaultRoute = Route.List(inside).Single(r => r.IsDefault);
        Assert.Equal(IPAddress.Parse(hostAddress), defaultRoute.Gateway);
        IpAgreement.Route(defaultRoute, Ip.Json("-n", ns, "route", "show", "default").EnumerateArray().Single(), links);
        Assert.Equal(threadNamespace, ThreadNamespace()); // opening the socket moved no thread of ours
    }

    [SkippableFact]
    public void Links_move_into_a_namespace_named_by_pid_and_sockets_open_from_a_descriptor()
    {
        using var scratch = new ScratchNetwork();
        var ns = scratch.Namespace("m");
        using var host = NetlinkSocket.Open();
        using var nsFile = Sys.Open($"/run/netns/{ns}", Tmds.Linux.LibC.O_RDONLY);
        using var inside = NetlinkSocket.Open(NetworkNamespace.Descriptor(nsFile));
        var (name, peerName) = (scratch.Link("ma"), scratch.Link("mb"));
        Veth.Create(host, name, peerName);
        using var resident = StartProcessIn(ns);

        Link.MoveToNamespace(host, Link.Get(host, peerName).Index, NetworkNamespace.Process(resident.Id));

        Assert.Null(Link.TryGet(host, peerName));
        var moved = Link.Get(inside, peerName);
        Assert.Equal(moved.Index, Link.Get(host, name).LinkIndex);
        Assert.Contains(Ip.Json("-n", ns, "link", "show").EnumerateArray(), l => l.GetProperty("ifname").GetString() == peerName);
        Assert.True(nsFile.Value >= 0 && !nsFile.IsClosed); // a Descriptor target borrows the caller's fd and leaves it open

        Link.MoveToNamespace(inside, moved.Index, NetworkNamespace.Process(Environment.ProcessId));
        Assert.NotNull(Link.TryGet(host, peerName));
    }

    private static bool PingWithinSeconds(string address, int attempts)
    {
        // The first echo also resolves the neighbour; one retry a second covers a slow first ARP.
        for (var i = 0; i < attempts; i++)
        {
            if (Ip.Ping(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>`ip netns exec NS sleep`, returned once it has entered the namespace.</summary>
    private static Resident StartProcessIn(string ns)
    {
        var process = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", ns, "sleep", "60"]) { UseShellExecute = false })!;
        var resident = new Resident(process);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (HostCommand.Run("ip", "netns", "identify", process.Id.ToString()).Output.Trim() != ns)
        {
            Assert.True(DateTime.UtcNow < deadline, $"ip netns exec {ns} did not enter the namespace within 5 s");
            Thread.Sleep(10);
        }
        return resident;
    }

    private static string? ThreadNamespace() => new FileInfo("/proc/thread-self/ns/net").LinkTarget;

    private sealed class Resident(Process process) : IDisposable
    {
        public int Id => process.Id;

        public void Dispose()
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
    }
}
