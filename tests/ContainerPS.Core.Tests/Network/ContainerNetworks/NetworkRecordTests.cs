using ContainerPS.Core.Containers;
using ContainerPS.Core.ContainerNetworks;

namespace ContainerPS.Core.Tests.Network.ContainerNetworks;

/// <summary>A damaged network record is an error about that network alone; the other networks read as usual.</summary>
public sealed class NetworkRecordTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cps-netrec-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly NetworkStore _store;

    public NetworkRecordTests()
    {
        _store = new NetworkStore(_root);
        foreach (var name in new[] { "cps-a", "cps-b" })
        {
            _store.Write(new ContainerNetwork { Name = name, Subnet = "10.250.0.0/24", Gateway = "10.250.0.1", Bridge = "cps-br-" + name });
            _store.WriteLeases(name, [new ContainerNetworkAttachment
            {
                Network = name, ContainerId = new string('a', 64), ContainerName = "c", Interface = "eth0",
                IPAddress = "10.250.0.2", Gateway = "10.250.0.1", HostLink = "cps-aaaaaaaa-0",
            }]);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("[{\"Net")]
    [InlineData("null")]
    public void Damaged_leases_are_refused_for_their_network_and_left_out_of_all_leases(string content)
    {
        File.WriteAllText(_store.LeasesPath("cps-a"), content);

        var error = Assert.Throws<RecordDamagedException>(() => _store.ReadLeases("cps-a"));
        Assert.Equal(("NetworkRecordDamaged", "cps-a", _store.LeasesPath("cps-a")), (error.Reason, error.Target, error.File));
        Assert.Equal(["cps-b"], _store.AllLeases().Select(l => l.Network));
    }

    [Fact]
    public void A_damaged_definition_is_reported_and_the_other_networks_listed()
    {
        File.WriteAllText(_store.DefinitionPath("cps-b"), "{}");
        var reported = new List<RecordDamagedException>();

        Assert.Equal(["cps-a"], _store.List(reported.Add).Select(n => n.Name));
        Assert.Equal("cps-b", Assert.Single(reported).Target);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
