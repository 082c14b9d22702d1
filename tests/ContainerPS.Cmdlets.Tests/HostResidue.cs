namespace ContainerPS.Cmdlets.Tests;

/// <summary>
/// What the project can leave on the host: container state directories, names, cgroups under containerps/,
/// runtime processes, mounts, persistent namespaces. Taken before and after a case; the two must be equal.
/// </summary>
public sealed record HostResidue(string[] StateDirs, string[] Names, string[] Cgroups, int[] RuntimeProcesses, string[] Mounts, string[] Namespaces)
{
    public static HostResidue Now() => new(
        List("/run/containerps", dirs: true).Where(n => n.Length == 64).ToArray(),
        List("/run/containerps/names", dirs: false),
        Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup/unified")
            .Select(h => Path.Combine(h, "containerps"))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories)
            .Order().ToArray(),
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(p => p!.All(char.IsDigit)).Select(int.Parse!)
            .Where(IsRuntime).Order().ToArray(),
        File.ReadAllLines("/proc/self/mounts").Where(m => m.Contains("containerps") || m.Contains("cps-")).Order().ToArray(),
        List("/run/containerps/ns", dirs: true).Concat(List("/run/netns", dirs: false).Where(n => n.StartsWith("cps", StringComparison.Ordinal))).Order().ToArray());

    public void AssertSameAs(HostResidue before)
    {
        Assert.Equal(before.StateDirs, StateDirs);
        Assert.Equal(before.Names, Names);
        Assert.Equal(before.Cgroups, Cgroups);
        Assert.Equal(before.RuntimeProcesses, RuntimeProcesses);
        Assert.Equal(before.Mounts, Mounts);
        Assert.Equal(before.Namespaces, Namespaces);
    }

    private static string[] List(string dir, bool dirs) =>
        !Directory.Exists(dir) ? [] : (dirs ? Directory.GetDirectories(dir) : Directory.GetFileSystemEntries(dir)).Select(p => Path.GetFileName(p)).Order().ToArray();

    private static bool IsRuntime(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0].EndsWith("containerps-runtime", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
