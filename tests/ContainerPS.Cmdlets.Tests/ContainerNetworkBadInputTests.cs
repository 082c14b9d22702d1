using System.Management.Automation;

namespace ContainerPS.Cmdlets.Tests;

/// <summary>
/// Bad input to the container network cmdlets: one clear ErrorRecord (ErrorId the failure's reason, the right
/// category, the bad value named), and nothing half-made: no link, rule, lease, record or state directory more.
/// Each case runs beside an existing network, {net} on {subnet}.0/24; {free} is a subnet nothing uses.
/// </summary>
public sealed class ContainerNetworkBadInputTests : IClassFixture<BusyboxRootFs>, IDisposable
{
    private readonly BusyboxRootFs _rootfs;
    private readonly PowerShellSession _ps = new();
    private readonly string _tag = Guid.NewGuid().ToString("N")[..6];

    public ContainerNetworkBadInputTests(BusyboxRootFs rootfs) => _rootfs = rootfs;

    private const string NewContainer = "New-Container -RootFs {rootfs} -Name {prefix}-bad -Command sleep,1";

    [SkippableTheory]
    [InlineData("New-ContainerNetwork 'cps bad!' -Subnet '{free}.0/24'", "InvalidNetworkName", ErrorCategory.InvalidArgument, "'cps bad!'")]
    [InlineData("New-ContainerNetwork host -Subnet '{free}.0/24'", "InvalidNetworkName", ErrorCategory.InvalidArgument, "'none', 'host' and 'slirp4netns' are reserved")]
    [InlineData("New-ContainerNetwork slirp4netns -Subnet '{free}.0/24'", "InvalidNetworkName", ErrorCategory.InvalidArgument, "'none', 'host' and 'slirp4netns' are reserved")]
    [InlineData("New-ContainerNetwork {net}-x -Subnet '{free}.0/33'", "InvalidSubnet", ErrorCategory.InvalidArgument, "'{free}.0/33' is not an IPv4 network in CIDR form")]
    [InlineData("New-ContainerNetwork {net}-x -Subnet '{free}.300/24'", "InvalidSubnet", ErrorCategory.InvalidArgument, "'{free}.300/24'")]
    [InlineData("New-ContainerNetwork {net}-x -Subnet '{free}.7/24'", "InvalidSubnet", ErrorCategory.InvalidArgument, "host bits set; the network is {free}.0/24")]
    [InlineData("New-ContainerNetwork {net}-x -Subnet '{subnet}.128/25'", "SubnetOverlaps", ErrorCategory.InvalidArgument, "container network '{net}'")]
    [InlineData("New-ContainerNetwork {net} -Subnet '{free}.0/24'", "NetworkNameInUse", ErrorCategory.ResourceExists, "'{net}' exists already")]
    [InlineData("New-ContainerNetwork {net}-x -Subnet '{free}.0/24' -BridgeName {bridge}", "BridgeExists", ErrorCategory.ResourceExists, "{bridge} is taken")]
    [InlineData("New-ContainerNetwork {net}-x -Subnet '{free}.0/24' -Gateway '{subnet}.1'", "InvalidGateway", ErrorCategory.InvalidArgument, "-Gateway {subnet}.1 is not a host address of {free}.0/24")]
    [InlineData(NewContainer + " -Network cps-nonet-{tag}", "NetworkNotFound", ErrorCategory.ObjectNotFound, "'cps-nonet-{tag}'")]
    [InlineData(NewContainer + " -Network {net} -IPAddress '{free}.5'", "AddressOutsideSubnet", ErrorCategory.InvalidArgument, "-IPAddress {free}.5 is outside")]
    [InlineData(NewContainer + " -Network {net} -IPAddress '{subnet}.1'", "AddressIsGateway", ErrorCategory.InvalidArgument, "{subnet}.1 is the gateway")]
    [InlineData(NewContainer + " -Network {net} -IPAddress '{subnet}.255'", "AddressNotAssignable", ErrorCategory.InvalidArgument, "broadcast address")]
    [InlineData(NewContainer + " -Network {net} -IPAddress '10.1.2'", "InvalidIPAddress", ErrorCategory.InvalidArgument, "'10.1.2' is not an IPv4 address")]
    [InlineData(NewContainer + " -Network {net} -Publish 8080", "InvalidPublish", ErrorCategory.InvalidArgument, "-Publish '8080' is not valid")]
    [InlineData(NewContainer + " -IPAddress '{subnet}.5'", "NetworkOptionNeedsNetwork", ErrorCategory.InvalidArgument, "-IPAddress needs -Network")]
    [InlineData(NewContainer + " -Network {net} -WorkingDirectory /cps-missing", "WorkingDirectoryNotFound", ErrorCategory.ObjectNotFound, "/cps-missing")]
    [InlineData("Remove-ContainerNetwork cps-nonet-{tag}", "NetworkNotFound", ErrorCategory.ObjectNotFound, "'cps-nonet-{tag}'")]
    [InlineData("Get-ContainerNetwork cps-nonet-{tag}", "NetworkNotFound", ErrorCategory.ObjectNotFound, "'cps-nonet-{tag}'")]
    [InlineData("Connect-ContainerNetwork {prefix}-nobody -Network cps-nonet-{tag}", "NetworkNotFound", ErrorCategory.ObjectNotFound, "'cps-nonet-{tag}'")]
    public void Bad_input_gives_a_clear_error_and_leaves_nothing_half_made(string script, string errorId, ErrorCategory category, string mentions)
    {
        RootOnly.Require();
        var network = $"cps-{_tag}-n";
        var subnet = TestSubnet.Next();
        _ps.Run($"New-ContainerNetwork {network} -Subnet '{subnet}.0/24'").ThrowOnError();
        var values = new Dictionary<string, string>
        {
            ["{rootfs}"] = $"'{_rootfs.Path}'",
            ["{prefix}"] = $"cps-t-{_tag}",
            ["{tag}"] = _tag,
            ["{net}"] = network,
            ["{subnet}"] = subnet,
            ["{free}"] = TestSubnet.Next(),
            ["{bridge}"] = _ps.Run($"(Get-ContainerNetwork {network}).Bridge").ThrowOnError().Lines.Single(),
        };
        string Fill(string text) => values.Aggregate(text, (filled, v) => filled.Replace(v.Key, v.Value));
        var before = HostResidue.Now();

        var error = _ps.Run(Fill(script)).SingleError;
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(Fill(mentions), error.ToString());
        HostResidue.Now().AssertSameAs(before);
        Assert.Equal([network], _ps.Run("Get-ContainerNetwork | ForEach-Object Name").ThrowOnError().Lines.Where(n => n.Contains(_tag)));
        Assert.Empty(_ps.Run($"Get-Container cps-t-{_tag}*").Output);
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public void Publishing_a_port_a_host_process_holds_is_refused_at_create_and_connect(string protocol)
    {
        RootOnly.Require();
        var network = $"cps-{_tag}-n";
        _ps.Run($"New-ContainerNetwork {network} -Subnet '{TestSubnet.Next()}.0/24'").ThrowOnError();
        _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name cps-t-{_tag}-up -Command sleep,1000 | Start-Container").ThrowOnError();
        // A host service on loopback only: the NAT rules would still take its connections, from 127.0.0.1 too.
        using var service = protocol == "tcp"
            ? new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
            : new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        service.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        if (protocol == "tcp")
        {
            service.Listen();
        }
        var port = ((System.Net.IPEndPoint)service.LocalEndPoint!).Port;
        var before = HostResidue.Now();

        foreach (var script in new[]
        {
            $"New-Container -RootFs '{_rootfs.Path}' -Name cps-t-{_tag}-held -Network {network} -Publish {port}:80/{protocol} -Command sleep,1",
            $"Connect-ContainerNetwork cps-t-{_tag}-up -Network {network} -Publish {port}:80/{protocol}",
        })
        {
            var error = _ps.Run(script).SingleError;
            Assert.StartsWith("PortInUseOnHost,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Contains($"Host port {port}/{protocol} is in use", error.ToString());
        }
        HostResidue.Now().AssertSameAs(before);
        Assert.Empty(_ps.Run($"Get-ContainerNetwork {network}").ThrowOnError().Output.Single().Properties["Attachments"].Value as object[] ?? []);
    }

    public void Dispose()
    {
        _ps.Run($"Get-Container cps-t-{_tag}* | Remove-Container -Force");
        _ps.Run($"Get-ContainerNetwork cps-{_tag}-* | Remove-ContainerNetwork -Force");
        _ps.Dispose();
    }
}
