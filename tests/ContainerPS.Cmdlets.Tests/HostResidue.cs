namespace ContainerPS.Cmdlets.Tests;

/// <summary>
/// What the project can leave on the host: container state directories, names, cgroups under containerps/,
/// runtime processes, mounts, persistent namespaces, and for container networks the cps- links (bridges, veths),
/// the nftables table, the network records and leases, and net.ipv4.ip_forward. Taken before and after a case; the
/// two must be equal.
/// </summary>
public sealed record HostResidue(
    string[] StateDirs, string[] Names, string[] Cgroups, int[] RuntimeProcesses, string[] Mounts, string[] Namespaces,
    string[] Links, string NatTable, string[] NetworkRecords, string IpForward)
{
    private const string NetworkStore = "/run/containerps/networks";

    public static HostResidue Now() => new(
        List("/run/containerps", dirs: true).Where(n => n.Length == 64).ToArray(),
        List("/run/containerps/names", dirs: false),
        CgroupLayout.MountPoints
            .Select(h => Path.Combine(h, "containerps"))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories)
            .Order().ToArray(),
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(p => p!.All(char.IsDigit)).Select(int.Parse!)
            .Where(IsRuntime).Order().ToArray(),
        File.ReadAllLines("/proc/self/mounts").Where(m => m.Contains("containerps") || m.Contains("cps-")).Order().ToArray(),
        List("/run/containerps/ns", dirs: true).Concat(List("/run/netns", dirs: false).Where(n => n.StartsWith("cps", StringComparison.Ordinal))).Order().ToArray(),
        List("/sys/class/net", dirs: false).Where(n => n.StartsWith("cps-", StringComparison.Ordinal)).ToArray(),
        NatTableNow(),
        !Directory.Exists(NetworkStore) ? [] : Directory.GetFiles(NetworkStore, "*", SearchOption.AllDirectories).Order()
            .Select(f => $"{Path.GetRelativePath(NetworkStore, f)}: {File.ReadAllText(f)}").ToArray(),
        File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim());

    /// <summary>The container networks' nftables table as nft lists it, or "" when there is none (or no nft).</summary>
    public static string NatTableNow()
    {
        if (!File.Exists("/usr/sbin/nft"))
        {
            return "";
        }
        var (code, output, _) = HostTool.Run("/usr/sbin/nft", "list", "table", "ip", "containerps");
        return code == 0 ? output : "";
    }

    public void AssertSameAs(HostResidue before)
    {
        Assert.Equal(before.StateDirs, StateDirs);
        Assert.Equal(before.Names, Names);
        Assert.Equal(before.Cgroups, Cgroups);
        Assert.Equal(before.RuntimeProcesses, RuntimeProcesses);
        Assert.Equal(before.Mounts, Mounts);
        Assert.Equal(before.Namespaces, Namespaces);
        Assert.Equal(before.Links, Links);
        Assert.Equal(before.NatTable, NatTable);
        Assert.Equal(before.NetworkRecords, NetworkRecords);
        Assert.Equal(before.IpForward, IpForward);
    }

    private static string[] List(string dir, bool dirs) =>
        !Directory.Exists(dir) ? [] : (dirs ? Directory.GetDirectories(dir) : Directory.GetFileSystemEntries(dir)).Select(p => Path.GetFileName(p)).Order().ToArray();

    private static bool IsRuntime(int pid)
    {
        try
        {
            // Shims only: a runtime process that leads a session of its own (a shim calls setsid first; a spare
            // waiting for a container has not, and ends with the session that started it).
            var argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return argv[0].EndsWith("containerps-runtime", StringComparison.Ordinal) && Stat(pid)?.Session == pid;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Parent and session of a process from /proc/PID/stat (fields 4 and 6), or null when it is gone.</summary>
    public static (int Parent, int Session)? Stat(int pid)
    {
        try
        {
            // Field 2 (comm) may hold spaces and parentheses: the fields that follow start after its last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1]), int.Parse(fields[3]));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
