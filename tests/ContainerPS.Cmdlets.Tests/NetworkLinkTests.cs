using System.Diagnostics;
using System.Management.Automation;
using System.Text.Json;

namespace ContainerPS.Cmdlets.Tests;

/// <summary>Seed 000's veth experiment and ip link/addr/route, as cmdlets over rtnetlink, checked against iproute2.</summary>
public sealed class NetworkLinkTests : IClassFixture<BusyboxRootFs>, IDisposable
{
    private readonly BusyboxRootFs _rootfs;
    private readonly PowerShellSession _ps = new();
    private readonly string _tag = Guid.NewGuid().ToString("N")[..4];

    public NetworkLinkTests(BusyboxRootFs rootfs) => _rootfs = rootfs;

    private string Host => $"cps-{_tag}h";
    private string Guest => $"cps-{_tag}g";

    [SkippableFact]
    public void Seed_000_veth_into_a_container_with_addresses_pings_both_ways()
    {
        RootOnly.Require();
        var pid = (int)_ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name cps-t-{_tag}-veth -Command sleep,1000 | Start-Container").ThrowOnError().Output.Single().Properties["Pid"].Value;
        var subnet = $"10.{200 + Random.Shared.Next(50)}.{Random.Shared.Next(250)}";
        _ps.Run($"New-VethPair {Host} {Guest} | Where-Object Name -eq {Guest} | Set-NetworkLink -MoveToNamespace {pid}").ThrowOnError();
        _ps.Run($"Get-NetworkLink {Host} | Set-NetworkLink -Up -PassThru | Add-NetworkAddress {subnet}.1/24").ThrowOnError();
        _ps.Run($"Get-NetworkLink {Guest} -Namespace {pid} | Set-NetworkLink -Up -PassThru | Add-NetworkAddress {subnet}.2/24").ThrowOnError();

        Assert.Equal("0", _ps.Run($"Invoke-ContainerCommand cps-t-{_tag}-veth ping,-c1,-W2,{subnet}.1 | Out-Null; $LASTEXITCODE").ThrowOnError().Lines.Single());
        Assert.Equal(0, Exec("/bin/busybox", "ping", "-c1", "-W2", $"{subnet}.2").Code);

        // What ip says, inside and out, is what the cmdlets say.
        using var ipLink = JsonDocument.Parse(IpIn(pid, "-d", "-j", "link", "show", Guest).Output);
        var link = _ps.Run($"Get-NetworkLink {Guest} -Namespace {pid}").ThrowOnError().Output.Single();
        var ip = ipLink.RootElement[0];
        Assert.Equal(ip.GetProperty("ifindex").GetInt32(), link.Properties["Index"].Value);
        Assert.Equal(ip.GetProperty("mtu").GetInt32(), link.Properties["Mtu"].Value);
        Assert.Equal(ip.GetProperty("address").GetString(), link.Properties["MacAddress"].Value);
        Assert.Equal(ip.GetProperty("linkinfo").GetProperty("info_kind").GetString(), link.Properties["Kind"].Value);
        using var ipAddr = JsonDocument.Parse(IpIn(pid, "-j", "addr", "show", Guest).Output);
        var ipv4 = ipAddr.RootElement[0].GetProperty("addr_info").EnumerateArray().Where(a => a.GetProperty("family").GetString() == "inet")
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}").ToArray();
        Assert.Equal(ipv4, _ps.Run($"Get-NetworkAddress {Guest} -Namespace {pid} -Family InterNetwork | ForEach-Object {{ \"$($_.Cidr)\" }}").ThrowOnError().Lines);
    }

    [SkippableFact]
    public void Bridge_enslaves_a_link_and_changes_show_in_ip()
    {
        RootOnly.Require();
        var bridge = $"cps-{_tag}br";
        _ps.Run($"New-NetworkBridge {bridge} -Up").ThrowOnError();
        _ps.Run($"New-VethPair {Host} {Guest}").ThrowOnError();
        _ps.Run($"Set-NetworkLink {Host} -Master {bridge} -Mtu 1400 -MacAddress 02:00:00:00:00:42 -Up").ThrowOnError();
        using var json = JsonDocument.Parse(Exec("ip", "-j", "link", "show", Host).Output);
        var ip = json.RootElement[0];
        Assert.Equal(bridge, ip.GetProperty("master").GetString());
        Assert.Equal(1400, ip.GetProperty("mtu").GetInt32());
        Assert.Equal("02:00:00:00:00:42", ip.GetProperty("address").GetString());
        _ps.Run($"Set-NetworkLink {Host} -NoMaster -NewName {Host}x").ThrowOnError();
        Assert.Contains($"{Host}x", Exec("ip", "-o", "link").Output);
        _ps.Run($"Remove-NetworkLink {Host}x,{bridge}").ThrowOnError();
    }

    [SkippableFact]
    public void Routes_are_added_listed_and_removed_in_a_namespace()
    {
        RootOnly.Require();
        var pid = (int)_ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name cps-t-{_tag}-route -Command sleep,1000 | Start-Container").ThrowOnError().Output.Single().Properties["Pid"].Value;
        _ps.Run($"New-VethPair {Host} {Guest} -PeerNamespace {pid} -Up").ThrowOnError();
        _ps.Run($"Add-NetworkAddress 10.250.4.2/24 -LinkName {Guest} -Namespace {pid}").ThrowOnError();
        var route = _ps.Run($"Add-NetworkRoute default -Gateway 10.250.4.1 -Namespace {pid}").ThrowOnError().Output.Single();
        Assert.True((bool)route.Properties["IsDefault"].Value);
        Assert.Contains("default via 10.250.4.1", IpIn(pid, "route").Output);
        _ps.Run($"Get-NetworkRoute -Namespace {pid} | Where-Object IsDefault | Remove-NetworkRoute").ThrowOnError();
        Assert.DoesNotContain("default", IpIn(pid, "route").Output);
    }

    [SkippableFact]
    public void A_thousand_veth_pairs_come_and_go_leaving_the_host_as_it_was()
    {
        RootOnly.Require();
        var before = Links();
        _ps.Run($"1..1000 | ForEach-Object {{ New-VethPair \"cps-{_tag}a$_\" \"cps-{_tag}b$_\" }} | Where-Object Name -like 'cps-{_tag}a*' | Remove-NetworkLink").ThrowOnError();
        Assert.Equal(before, Links());
    }

    [SkippableTheory]
    [InlineData("New-VethPair cps-name-far-too-long-for-linux cps-x", "InvalidInterfaceName", ErrorCategory.InvalidArgument, "1 to 15 bytes")]
    [InlineData("New-VethPair 'cps bad' cps-x", "InvalidInterfaceName", ErrorCategory.InvalidArgument, "'cps bad'")]
    [InlineData("New-VethPair cps-{tag}h lo", "RTM_NEWLINK.EEXIST", ErrorCategory.ResourceExists, "File exists")]
    [InlineData("Add-NetworkAddress 10.0.0.300/24 -LinkName lo", "InvalidCidrAddress", ErrorCategory.InvalidArgument, "'10.0.0.300/24' is not a CIDR address")]
    [InlineData("Get-NetworkLink -Namespace 999999999", "NamespaceNotFound", ErrorCategory.ObjectNotFound, "999999999")]
    [InlineData("Set-NetworkLink cps-nolink -Up", "LinkNotFound", ErrorCategory.ObjectNotFound, "'cps-nolink'")]
    public void Bad_input_gives_a_clear_error_and_leaves_no_link(string script, string errorId, ErrorCategory category, string mentions)
    {
        RootOnly.Require();
        var before = Links();
        var error = _ps.Run(script.Replace("{tag}", _tag)).SingleError;
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(mentions, error.ToString());
        Assert.Equal(before, Links());
    }

    [SkippableFact]
    public void Duplicate_address_error_carries_the_kernels_extended_ack()
    {
        RootOnly.Require();
        _ps.Run($"New-VethPair {Host} {Guest}").ThrowOnError();
        _ps.Run($"Add-NetworkAddress 10.251.0.1/24 -LinkName {Host}").ThrowOnError();
        var error = _ps.Run($"Add-NetworkAddress 10.251.0.1/24 -LinkName {Host}").SingleError;
        Assert.StartsWith("RTM_NEWADDR.EEXIST,", error.FullyQualifiedErrorId);
        Assert.Contains("Address already assigned", error.ToString());
    }

    public void Dispose()
    {
        foreach (var name in Links().Where(l => l.StartsWith($"cps-{_tag}", StringComparison.Ordinal)))
        {
            Exec("ip", "link", "del", name);
        }
        _ps.Run($"Get-Container cps-t-{_tag}* | Remove-Container -Force");
        _ps.Dispose();
    }

    /// <summary>ip inside a container's network namespace (ip -n wants an ip netns name; nsenter takes the pid's).</summary>
    private static (int Code, string Output) IpIn(int pid, params string[] arguments) =>
        Exec("nsenter", [$"--net=/proc/{pid}/ns/net", "ip", .. arguments]);

    private static string[] Links() => Exec("ip", "-o", "link").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => l.Split(':')[1].Trim().Split('@')[0]).Order().ToArray();

    private static (int Code, string Output) Exec(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
