namespace ContainerPS.Cmdlets.Tests;

/// <summary>
/// Where this host mounts each cgroup controller, read from /proc/self/mountinfo, so a test looks for a group's files
/// where the driver put them instead of assuming this machine's hybrid layout.
/// </summary>
public static class CgroupLayout
{
    private static readonly (string MountPoint, int Version, string[] Controllers)[] Mounts =
        File.ReadAllLines("/proc/self/mountinfo").Select(line => line.Split(" - ")).Select(halves =>
        {
            var mountPoint = halves[0].Split(' ')[4];
            var right = halves[1].Split(' ');
            return right[0] switch
            {
                "cgroup2" => (mountPoint, 2, File.Exists(Path.Combine(mountPoint, "cgroup.controllers"))
                    ? File.ReadAllText(Path.Combine(mountPoint, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : []),
                // name=systemd is the init system's hierarchy without a controller: ContainerPS makes no group there.
                "cgroup" when !right[2].Contains("name=") => (mountPoint, 1, right[2].Split(',')),
                _ => (mountPoint, 0, Array.Empty<string>()),
            };
        }).Where(m => m.Item2 > 0).ToArray();

    /// <summary>Every cgroup mount point, v1 and cgroup2 alike.</summary>
    public static IEnumerable<string> MountPoints => Mounts.Select(m => m.MountPoint);

    /// <summary>The v1 hierarchy that holds a controller (blkio is v1's name for io), or null.</summary>
    public static string? V1(string controller) => Mounts.FirstOrDefault(m => m.Version == 1 && m.Controllers.Contains(controller)).MountPoint;

    /// <summary>The cgroup2 mount point, or null where none is mounted.</summary>
    public static string? V2 => Mounts.FirstOrDefault(m => m.Version == 2).MountPoint;

    /// <summary>A file of a containerps/ group in the v1 hierarchy of a controller; skips the test where v1 does not hold it.</summary>
    public static string V1File(string controller, string group, string file)
    {
        var mount = V1(controller);
        Skip.If(mount is null, $"the {controller} controller is not bound to cgroup v1 on this host; tests/pester/CgroupV2.Tests.ps1 covers cgroup v2");
        return Path.Combine(mount!, "containerps", group, file);
    }
}
