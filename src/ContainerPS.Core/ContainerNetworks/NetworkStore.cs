using System.Text.Json;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// Where container networks are kept: /run/containerps/networks/NAME/network.json (the definition) and
/// leases.json (one lease per attached container), written atomically (a sibling renamed over the file). Every
/// change to networks, leases or the NAT table happens under one exclusive flock on networks.lock, so two
/// sessions can never hand out one address, and the nftables table always matches the files. The lock sits beside
/// networks/, not in it, so that networks/ can go with the last network without pulling a lock from under a waiter.
/// </summary>
public sealed class NetworkStore
{
    public NetworkStore(string root) => Root = root;

    public string Root { get; }

    /// <summary>The networks of a container store: its root's networks/ directory.</summary>
    public static NetworkStore For(ContainerStore containers) => new(Path.Combine(containers.Root, "networks"));

    public string Dir(string name) => Path.Combine(Root, name);
    public string DefinitionPath(string name) => Path.Combine(Dir(name), "network.json");
    public string LeasesPath(string name) => Path.Combine(Dir(name), "leases.json");

    /// <summary>Holds the value of net.ipv4.ip_forward from before we enabled it, while we keep it enabled.</summary>
    internal string ForwardingRecordPath => Path.Combine(Root, "ip_forward.before");

    public bool Exists => Directory.Exists(Root);

    /// <summary>Takes the store's exclusive lock, waiting for another session's change to finish; dispose to release it.</summary>
    public IDisposable Lock()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Root)!);
        return FileLock.Take(Root + ".lock");
    }

    /// <summary>
    /// Every network directory, one whose network.json is gone (a removal cut off) too. A network's directory appears
    /// whole, with its definition in it (<see cref="Write"/>), so one without it is never a create in progress.
    /// </summary>
    public IReadOnlyList<string> Names() =>
        !Directory.Exists(Root)
            ? []
            : Directory.EnumerateDirectories(Root)
                .Where(dir => !Path.GetFileName(dir).StartsWith('.'))
                .Select(dir => Path.GetFileName(dir))
                .Order(StringComparer.Ordinal)
                .ToArray();

    /// <summary>Every network whose definition reads; one that does not goes to <paramref name="damaged"/> and is left out.</summary>
    public IReadOnlyList<ContainerNetwork> List(Action<RecordDamagedException>? damaged = null) =>
        Names().Select(name => Readable(() => Read(name), damaged)).OfType<ContainerNetwork>().ToArray();

    /// <summary>
    /// The definition, or null when there is no such network; throws NetworkRecordDamaged when network.json cannot be
    /// read, or is missing from the network's directory (a removal was cut off).
    /// </summary>
    public ContainerNetwork? Read(string name)
    {
        var network = Read(name, DefinitionPath(name), bytes => JsonSerializer.Deserialize(bytes, NetworkJson.Default.ContainerNetwork));
        if (network is null && Directory.Exists(Dir(name)))
        {
            throw RecordDamagedException.OfNetwork(name, DefinitionPath(name), new FileNotFoundException("it is missing from the network's directory"));
        }
        return network;
    }

    /// <summary>
    /// Records a new network: its directory is made under a hidden name with network.json in it and then renamed into
    /// place, so a reader never sees a network directory without its definition. A kill before the rename leaves only
    /// the hidden directory, which the next create of that name replaces.
    /// </summary>
    public void Write(ContainerNetwork network)
    {
        var staging = Path.Combine(Root, "." + network.Name + ".new");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
        Directory.CreateDirectory(staging);
        File.WriteAllBytes(Path.Combine(staging, "network.json"), JsonSerializer.SerializeToUtf8Bytes(network, NetworkJson.Default.ContainerNetwork));
        Directory.Move(staging, Dir(network.Name));
    }

    /// <summary>The network's leases (none when there is no file); throws NetworkRecordDamaged when leases.json cannot be read.</summary>
    public List<ContainerNetworkAttachment> ReadLeases(string name) =>
        Read(name, LeasesPath(name), bytes => JsonSerializer.Deserialize(bytes, NetworkJson.Default.ListContainerNetworkAttachment)) ?? [];

    /// <summary>Records a network's leases; none is no file, so a network without containers is its definition alone.</summary>
    public void WriteLeases(string name, List<ContainerNetworkAttachment> leases)
    {
        if (leases.Count == 0)
        {
            File.Delete(LeasesPath(name));
            return;
        }
        RecordFile.WriteAtomically(LeasesPath(name), JsonSerializer.SerializeToUtf8Bytes(leases, NetworkJson.Default.ListContainerNetworkAttachment));
    }

    /// <summary>
    /// Every lease of every network whose leases.json reads. A damaged one is left out: its network refuses new leases
    /// (Reserve reads it and fails), while the other networks go on; its published ports are unknown until it is removed.
    /// </summary>
    public IReadOnlyList<ContainerNetworkAttachment> AllLeases() =>
        Names().SelectMany(name => Readable(() => ReadLeases(name), null) ?? []).ToArray();

    /// <summary>Deletes a network's records; with the last one, networks/ itself, so no network leaves a trace.</summary>
    public void Delete(string name)
    {
        if (Directory.Exists(Dir(name)))
        {
            Directory.Delete(Dir(name), recursive: true);
        }
        if (Directory.Exists(Root) && !Directory.EnumerateFileSystemEntries(Root).Any())
        {
            Directory.Delete(Root);
        }
    }

    /// <summary>A JSON literal null is as damaged as a truncated file: the source-generated reader returns it as null.</summary>
    private static T? Read<T>(string name, string path, Func<byte[], T?> parse) where T : class =>
        RecordFile.Read(path, bytes => parse(bytes) ?? throw new JsonException("It holds null."), e => RecordDamagedException.OfNetwork(name, path, e));

    private static T? Readable<T>(Func<T?> read, Action<RecordDamagedException>? damaged) where T : class
    {
        try
        {
            return read();
        }
        catch (RecordDamagedException e)
        {
            damaged?.Invoke(e);
            return null;
        }
    }
}
