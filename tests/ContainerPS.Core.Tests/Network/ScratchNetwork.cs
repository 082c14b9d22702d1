namespace ContainerPS.Core.Tests.Network;

/// <summary>
/// The kernel objects one test makes, removed with iproute2 when it is disposed, whether the test passed or not.
/// Every link name starts with this run's own prefix (cps- and four random characters), so two test runs at once
/// never touch each other's links, and cleanup sweeps every link of the run by that prefix, not just the ones a
/// test remembered to register. Addresses come from 10.200.x.y with x picked per run for the same reason.
/// </summary>
internal sealed class ScratchNetwork : IDisposable
{
    public static readonly string RunToken = Convert.ToHexString(Guid.NewGuid().ToByteArray())[..4].ToLowerInvariant();
    public static readonly string RunPrefix = "cps-" + RunToken;

    /// <summary>This run's block of 10.200.x.0/24 networks: x = Octet .. Octet + 3.</summary>
    public static readonly int Octet = Random.Shared.Next(64) * 4;

    private readonly List<string> _namespaces = [];

    public ScratchNetwork()
    {
        RootOnly.Require();
        Ip.Require();
    }

    /// <summary>A link name for this run: cps-, the run token, and a role of up to 7 characters.</summary>
    public string Link(string role)
    {
        var name = RunPrefix + role;
        Assert.True(name.Length <= 15, $"{name} is longer than an interface name may be");
        return name;
    }

    /// <summary>Makes a network namespace with `ip netns add` (so /run/netns/NAME exists) and deletes it on dispose.</summary>
    public string Namespace(string role)
    {
        var name = $"cps-nltest-{RunToken}{role}";
        _namespaces.Add(name);
        Ip.Run("netns", "add", name);
        return name;
    }

    /// <summary>The 10.200.x.y address of this run's block <paramref name="block"/> (0-3).</summary>
    public static string V4(int block, int host) => $"10.200.{Octet + block}.{host}";

    public static IEnumerable<string> LinksOfThisRun() =>
        Ip.Json("link", "show").EnumerateArray()
            .Select(link => link.GetProperty("ifname").GetString()!)
            .Where(name => name.StartsWith(RunPrefix, StringComparison.Ordinal));

    public void Dispose()
    {
        foreach (var link in LinksOfThisRun())
        {
            Ip.TryRun("link", "del", link); // a veth's peer may have gone with its other end already
        }
        foreach (var ns in _namespaces)
        {
            Ip.TryRun("netns", "del", ns);
        }
    }
}
