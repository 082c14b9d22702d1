using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ContainerPS.Cmdlets.Tests;

/// <summary>
/// Container networks (issue 6): a bridge with IPAM and NAT; containers on it with lo, eth0, a default route, /etc/hosts
/// and /etc/resolv.conf; real traffic between two containers, from the host to a published port, and out through NAT
/// to a namespace standing for the outside. Only namespaces made here, with 10.x addresses given here, see a packet.
/// </summary>
public sealed class ContainerNetworkTests : IClassFixture<BusyboxRootFs>, IDisposable
{
    private readonly BusyboxRootFs _rootfs;
    private readonly PowerShellSession _ps = new();
    private readonly string _tag = Guid.NewGuid().ToString("N")[..6];
    private OutsideNamespace? _outside;

    public ContainerNetworkTests(BusyboxRootFs rootfs) => _rootfs = rootfs;

    private string Prefix => $"cps-t-{_tag}";

    [SkippableFact]
    public void Network_is_a_bridge_with_the_gateway_and_nat_that_a_new_session_sees_and_removal_leaves_no_trace()
    {
        RootOnly.Require();
        var before = HostResidue.Now();
        var (name, subnet) = NewNetwork("a");
        var network = _ps.Run($"Get-ContainerNetwork {name}").ThrowOnError().Output.Single();
        Assert.Equal($"{subnet}.0/24", network.Properties["Subnet"].Value);
        Assert.Equal($"{subnet}.1", network.Properties["Gateway"].Value);
        var bridge = (string)network.Properties["Bridge"].Value;
        Assert.StartsWith("cps-br-", bridge);

        using var ip = JsonDocument.Parse(HostTool.Check("ip", "-d", "-j", "addr", "show", bridge));
        var link = ip.RootElement[0];
        Assert.Equal("bridge", link.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal([$"{subnet}.1/24"], Inet(link));
        Assert.Contains($"ip saddr {subnet}.0/24 oifname != \"{bridge}\" masquerade", HostResidue.NatTableNow());
        Assert.Equal("1", File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim());

        var other = TestSubnet.Next();
        _ps.Run($"New-ContainerNetwork cps-{_tag}-b -Subnet '{other}.0/24' -Gateway '{other}.254'").ThrowOnError();
        Assert.Equal([$"{other}.254/24"], Inet(JsonDocument.Parse(HostTool.Check("ip", "-j", "addr", "show", Bridge($"cps-{_tag}-b"))).RootElement[0]));
        using (var second = new PowerShellSession())
        {
            Assert.Equal(
                [$"{name} {subnet}.0/24 {subnet}.1 {bridge}", $"cps-{_tag}-b {other}.0/24 {other}.254 {Bridge($"cps-{_tag}-b")}"],
                second.Run($"Get-ContainerNetwork cps-{_tag}-* | ForEach-Object {{ \"$($_.Name) $($_.Subnet) $($_.Gateway) $($_.Bridge)\" }}").ThrowOnError().Lines);
        }

        _ps.Run($"Get-ContainerNetwork cps-{_tag}-* | Remove-ContainerNetwork").ThrowOnError();
        Assert.False(Directory.Exists($"/sys/class/net/{bridge}"));
        HostResidue.Now().AssertSameAs(before);
        if (before.NetworkRecords.Length == 0)
        {
            Assert.False(Directory.Exists("/run/containerps/networks"), "the last network's removal leaves no networks directory");
        }
    }

    [SkippableFact]
    public void Container_on_a_network_gets_lo_eth0_a_default_route_hosts_and_resolv_conf_and_its_rootfs_stays_as_it_was()
    {
        RootOnly.Require();
        var etc = Path.Combine(_rootfs.Path, "etc");
        var rootfsEtc = Listing(etc);
        var (network, subnet) = NewNetwork("a");
        var before = HostResidue.Now();
        var (id, pid) = Start("web", network, "-Hostname web");

        using var addresses = JsonDocument.Parse(IpIn(pid, "-j", "addr"));
        var links = addresses.RootElement.EnumerateArray().ToDictionary(l => l.GetProperty("ifname").GetString()!);
        Assert.Equal(["eth0", "lo"], links.Keys.Order());
        Assert.All(links.Values, l => Assert.Contains("UP", l.GetProperty("flags").EnumerateArray().Select(f => f.GetString())));
        Assert.Equal(["127.0.0.1/8"], Inet(links["lo"]));
        Assert.Equal([$"{subnet}.2/24"], Inet(links["eth0"]));
        using var routes = JsonDocument.Parse(IpIn(pid, "-j", "route"));
        var route = routes.RootElement.EnumerateArray().Single(r => r.GetProperty("dst").GetString() == "default");
        Assert.Equal($"{subnet}.1", route.GetProperty("gateway").GetString());
        Assert.Equal("eth0", route.GetProperty("dev").GetString());

        var hosts = _ps.Run($"Invoke-ContainerCommand {Prefix}-web cat,/etc/hosts").ThrowOnError().Lines;
        Assert.Contains("127.0.0.1\tlocalhost", hosts);
        Assert.Contains($"{subnet}.2\tweb {Prefix}-web", hosts);
        var resolv = _ps.Run($"Invoke-ContainerCommand {Prefix}-web cat,/etc/resolv.conf").ThrowOnError().Lines;
        Assert.Equal(HostNameservers(), resolv.Where(l => l.StartsWith("nameserver ", StringComparison.Ordinal)));
        // Both are bind mounts of the container's files in its state directory (mountinfo: root, then mount point).
        var mounts = File.ReadAllLines($"/proc/{pid}/mountinfo").Select(m => m.Split(' ')).ToArray();
        Assert.Contains(mounts, m => m[4] == "/etc/hosts" && m[3].EndsWith($"/{id}/hosts", StringComparison.Ordinal));
        Assert.Contains(mounts, m => m[4] == "/etc/resolv.conf" && m[3].EndsWith($"/{id}/resolv.conf", StringComparison.Ordinal));
        Assert.Equal(rootfsEtc, Listing(etc));

        _ps.Run($"Remove-Container {Prefix}-web -Force").ThrowOnError();
        HostResidue.Now().AssertSameAs(before); // its veth and its lease went with it
        Assert.Equal(rootfsEtc, Listing(etc));
    }

    [SkippableFact]
    public void Leases_are_kept_across_sessions_and_no_address_is_handed_out_twice()
    {
        RootOnly.Require();
        var (network, subnet) = NewNetwork("a");
        using (var first = new PowerShellSession())
        {
            first.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {Prefix}-one -Network {network} -Command sleep,1000").ThrowOnError();
        }
        using var second = new PowerShellSession();
        Assert.Equal([$"{Prefix}-one {subnet}.2"], Leases(second, network));
        second.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {Prefix}-two -Network {network} -Command sleep,1000").ThrowOnError();
        second.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {Prefix}-three -Network {network} -IPAddress '{subnet}.50' -Command sleep,1000").ThrowOnError();
        Assert.Equal([$"{Prefix}-one {subnet}.2", $"{Prefix}-two {subnet}.3", $"{Prefix}-three {subnet}.50"], Leases(second, network));

        var before = HostResidue.Now();
        var taken = second.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {Prefix}-four -Network {network} -IPAddress '{subnet}.3' -Command sleep,1000").SingleError;
        Assert.StartsWith("AddressInUse,", taken.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, taken.CategoryInfo.Category);
        Assert.Contains($"'{Prefix}-two'", taken.ToString());
        HostResidue.Now().AssertSameAs(before);

        // A removed container's address is free again, and the lowest free one goes first.
        second.Run($"Remove-Container {Prefix}-one -Force").ThrowOnError();
        second.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {Prefix}-four -Network {network} -Command sleep,1000").ThrowOnError();
        Assert.Equal([$"{Prefix}-two {subnet}.3", $"{Prefix}-three {subnet}.50", $"{Prefix}-four {subnet}.2"], Leases(_ps, network));
    }

    [SkippableFact]
    public void Two_containers_on_one_network_reach_each_other_by_address()
    {
        RootOnly.Require();
        var (network, subnet) = NewNetwork("a");
        Start("one", network);
        Start("two", network);
        Assert.Equal("0", ExitCode($"Invoke-ContainerCommand {Prefix}-one ping,-c1,-W2,{subnet}.3"));
        Assert.Equal("0", ExitCode($"Invoke-ContainerCommand {Prefix}-two ping,-c1,-W2,{subnet}.2"));
    }

    [SkippableFact]
    public void Published_port_on_the_host_reaches_a_listener_inside_and_goes_with_the_container()
    {
        RootOnly.Require();
        var (network, subnet) = NewNetwork("a");
        var before = HostResidue.Now();
        var port = Random.Shared.Next(20000, 30000);
        // busybox nc inside, listening on 8080, runs cat for each connection: what arrives goes back the same way.
        Start("listen", network, $"-Publish {port}:8080", "nc,-ll,-p,8080,-e,/bin/cat");
        Assert.Contains($"tcp dport {port} dnat to {subnet}.2:8080", HostResidue.NatTableNow());

        // From the host, to its address on the network's bridge and to its own 127.0.0.1: both are DNATed inside.
        Assert.Equal($"via-gateway-{_tag}", Echo($"{subnet}.1", port, $"via-gateway-{_tag}"));
        Assert.Equal($"via-loopback-{_tag}", Echo("127.0.0.1", port, $"via-loopback-{_tag}"));

        var refused = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {Prefix}-again -Network {network} -Publish {port}:9090 -Command sleep,1000").SingleError;
        Assert.StartsWith("PortAlreadyPublished,", refused.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, refused.CategoryInfo.Category);
        Assert.Contains($"'{Prefix}-listen'", refused.ToString());

        _ps.Run($"Remove-Container {Prefix}-listen -Force").ThrowOnError();
        Assert.DoesNotContain($"dport {port}", HostResidue.NatTableNow());
        HostResidue.Now().AssertSameAs(before);
    }

    [SkippableFact]
    public void Container_reaches_an_outside_namespace_through_nat_with_the_hosts_address_as_source()
    {
        RootOnly.Require();
        var (network, subnet) = NewNetwork("a");
        _outside = new OutsideNamespace(_tag);
        Start("out", network);
        // The outside has no route to the container's subnet: only a translated source can get an answer.
        var seen = _ps.Run($"Invoke-ContainerCommand {Prefix}-out sh,-c,'for i in 1 2 3 4 5; do timeout 5 wget -qO- {_outside.PeerUrl} && exit 0; sleep 1; done; exit 1'")
            .ThrowOnError().Lines;
        Assert.Equal([_outside.HostAddress], seen);
        Assert.NotEqual($"{subnet}.2", _outside.HostAddress);
    }

    [SkippableFact]
    public void Connect_and_disconnect_give_a_running_container_an_interface_and_take_it_back()
    {
        RootOnly.Require();
        var (front, frontSubnet) = NewNetwork("a");
        var (back, backSubnet) = NewNetwork("b");
        var (_, pid) = Start("app", front);

        var attachment = _ps.Run($"Get-Container {Prefix}-app | Connect-ContainerNetwork -Network {back}").ThrowOnError().Output.Single();
        Assert.Equal("eth1", attachment.Properties["Interface"].Value);
        Assert.Equal($"{backSubnet}.2", attachment.Properties["IPAddress"].Value);
        var hostLink = (string)attachment.Properties["HostLink"].Value;
        using (var link = JsonDocument.Parse(HostTool.Check("ip", "-j", "link", "show", hostLink)))
        {
            Assert.Equal(Bridge(back), link.RootElement[0].GetProperty("master").GetString());
        }
        using (var inside = JsonDocument.Parse(IpIn(pid, "-j", "addr", "show", "eth1")))
        {
            Assert.Equal([$"{backSubnet}.2/24"], Inet(inside.RootElement[0]));
        }
        Assert.Equal("0", ExitCode($"Invoke-ContainerCommand {Prefix}-app ping,-c1,-W2,{backSubnet}.1"));
        Assert.Contains($"{backSubnet}.2\t{Prefix}-app", _ps.Run($"Invoke-ContainerCommand {Prefix}-app cat,/etc/hosts").ThrowOnError().Lines);
        Assert.Contains($"default via {frontSubnet}.1 dev eth0", IpIn(pid, "route")); // the first network keeps the default route

        _ps.Run($"Disconnect-ContainerNetwork {Prefix}-app -Network {back}").ThrowOnError();
        Assert.False(Directory.Exists($"/sys/class/net/{hostLink}"));
        Assert.DoesNotContain("eth1", IpIn(pid, "-o", "link"));
        Assert.Empty(Leases(_ps, back));
        Assert.DoesNotContain($"{backSubnet}.2\t{Prefix}-app", _ps.Run($"Invoke-ContainerCommand {Prefix}-app cat,/etc/hosts").ThrowOnError().Lines);
        Assert.Equal("0", ExitCode($"Invoke-ContainerCommand {Prefix}-app ping,-c1,-W2,{frontSubnet}.1"));

        var error = _ps.Run($"Disconnect-ContainerNetwork {Prefix}-app -Network {back}").SingleError;
        Assert.StartsWith("ContainerNotConnected,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [SkippableFact]
    public void Network_in_use_is_kept_unless_forced_which_disconnects_its_containers()
    {
        RootOnly.Require();
        var (network, _) = NewNetwork("a");
        var (_, pid) = Start("held", network);
        var refused = _ps.Run($"Remove-ContainerNetwork {network}").SingleError;
        Assert.StartsWith("NetworkInUse,", refused.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, refused.CategoryInfo.Category);
        Assert.Contains($"{Prefix}-held", refused.ToString());
        Assert.Contains("eth0", IpIn(pid, "-o", "link"));

        _ps.Run($"Remove-ContainerNetwork {network} -Force").ThrowOnError();
        Assert.DoesNotContain("eth0", IpIn(pid, "-o", "link"));
        Assert.Empty(_ps.Run($"Get-ContainerNetwork cps-{_tag}-*").ThrowOnError().Output);
        Assert.Equal("Running", _ps.Run($"(Get-Container {Prefix}-held).State").ThrowOnError().Lines.Single());
    }

    public void Dispose()
    {
        _ps.Run($"Get-Container {Prefix}* | Remove-Container -Force");
        _ps.Run($"Get-ContainerNetwork cps-{_tag}-* | Remove-ContainerNetwork -Force");
        _outside?.Dispose();
        _ps.Dispose();
    }

    /// <summary>A network cps-TAG-SUFFIX on a free 10.x.y.0/24; its name and "10.x.y".</summary>
    private (string Name, string Subnet) NewNetwork(string suffix)
    {
        var subnet = TestSubnet.Next();
        var name = $"cps-{_tag}-{suffix}";
        _ps.Run($"New-ContainerNetwork {name} -Subnet '{subnet}.0/24'").ThrowOnError();
        return (name, subnet);
    }

    /// <summary>Creates and starts a container named PREFIX-SUFFIX on the network; its id and pid.</summary>
    private (string Id, int Pid) Start(string suffix, string network, string options = "", string command = "sleep,1000")
    {
        var container = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {Prefix}-{suffix} -Network {network} {options} -Command {command} | Start-Container")
            .ThrowOnError().Output.Single();
        return ((string)container.Properties["Id"].Value, (int)container.Properties["Pid"].Value);
    }

    private string Bridge(string network) => _ps.Run($"(Get-ContainerNetwork {network}).Bridge").ThrowOnError().Lines.Single();

    private static string[] Leases(PowerShellSession session, string network) =>
        session.Run($"(Get-ContainerNetwork {network}).Attachments | ForEach-Object {{ \"$($_.ContainerName) $($_.IPAddress)\" }}").ThrowOnError().Lines;

    private string ExitCode(string command) => _ps.Run($"{command} | Out-Null; $LASTEXITCODE").ThrowOnError().Lines.Single();

    /// <summary>ip inside a container's network namespace (nsenter takes the pid's; ip -n wants an ip netns name).</summary>
    private static string IpIn(int pid, params string[] arguments) => HostTool.Check("nsenter", [$"--net=/proc/{pid}/ns/net", "ip", .. arguments]);

    /// <summary>The IPv4 addresses of one link of `ip -j addr`, as address/prefix.</summary>
    private static string[] Inet(JsonElement link) => link.GetProperty("addr_info").EnumerateArray()
        .Where(a => a.GetProperty("family").GetString() == "inet")
        .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}").ToArray();

    /// <summary>The host's nameserver lines a container can use: those not on loopback.</summary>
    private static string[] HostNameservers() => File.ReadAllLines("/etc/resolv.conf")
        .Select(l => l.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        .Where(f => f.Length >= 2 && f[0] == "nameserver" && IPAddress.TryParse(f[1], out var a) && !IPAddress.IsLoopback(a))
        .Select(f => string.Join(' ', f)).ToArray();

    /// <summary>Names, sizes and times of a directory's entries: what a change to the rootfs would show in.</summary>
    private static string[] Listing(string directory) => new DirectoryInfo(directory).GetFileSystemInfos()
        .Select(f => $"{f.Name} {(f as FileInfo)?.Length} {f.LastWriteTimeUtc:O}").Order().ToArray();

    /// <summary>
    /// Sends one line over TCP and reads what comes back until the other side closes. Retried while nothing listens
    /// yet (the container was just started), which the container's kernel answers with a reset.
    /// </summary>
    private static string Echo(string address, int port, string line)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var client = new TcpClient { ReceiveTimeout = 5000 };
                client.Connect(IPAddress.Parse(address), port);
                var stream = client.GetStream();
                stream.Write(Encoding.ASCII.GetBytes(line + "\n"));
                client.Client.Shutdown(SocketShutdown.Send);
                using var reader = new StreamReader(stream, Encoding.ASCII);
                return reader.ReadToEnd().TrimEnd('\n');
            }
            catch (SocketException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }
}
