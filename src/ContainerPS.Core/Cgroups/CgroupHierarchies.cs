namespace ContainerPS.Core.Cgroups;

/// <summary>
/// Finds the cgroup hierarchies this host mounts (from /proc/self/mountinfo), v1 and v2 alike: hybrid hosts
/// mount v1 controllers and a cgroup2 tree side by side, and each controller is driven where it is bound.
/// Named v1 hierarchies without a controller (name=systemd) belong to the init system and are left alone.
/// </summary>
public static class CgroupHierarchies
{
    private static IReadOnlyList<CgroupDriverBase>? _mounted;

    /// <summary>
    /// This host's hierarchies, read once per process: every container operation needs them, and cgroup mounts do
    /// not change under a running system (a session that outlives such a change re-imports the module).
    /// </summary>
    public static IReadOnlyList<CgroupDriverBase> Mounted => _mounted ??= Discover();

    /// <summary>
    /// The hierarchies containers get a group in: all of them for root, none for any other user, whose containers
    /// then run without a cgroup (no limits, accounting or freezing), as rootless podman runs on cgroup v1. A group
    /// delegated to a user (systemd's Delegate=yes) is not used yet: a process enters a group only if it may write
    /// cgroup.procs of the group it leaves and the one it joins up to their common ancestor, so that takes the
    /// user's session inside the delegated subtree, which nothing here arranges.
    /// </summary>
    public static IReadOnlyList<CgroupDriverBase> ForContainers => Interop.Sys.IsRoot ? Mounted : [];

    public static IReadOnlyList<CgroupDriverBase> Discover(string mountinfo = "/proc/self/mountinfo")
    {
        var drivers = new List<CgroupDriverBase>();
        foreach (var line in File.ReadLines(mountinfo))
        {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            var halves = line.Split(" - ");
            var left = halves[0].Split(' ');
            var right = halves[1].Split(' ');
            var mountPoint = left[4].Replace("\\040", " ");
            if (right[0] == "cgroup2")
            {
                var controllers = File.Exists(Path.Combine(mountPoint, "cgroup.controllers"))
                    ? File.ReadAllText(Path.Combine(mountPoint, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : [];
                drivers.Add(new CgroupV2Driver(mountPoint, controllers));
            }
            else if (right[0] == "cgroup")
            {
                // v1 calls the io controller blkio; drivers speak of controllers by their v2 names.
                var controllers = right[2].Split(',').Where(IsController).Select(c => c == "blkio" ? "io" : c).ToArray();
                if (controllers.Length > 0)
                {
                    drivers.Add(new CgroupV1Driver(mountPoint, controllers));
                }
            }
        }
        return drivers;
    }

    private static bool IsController(string option) =>
        option is "cpu" or "cpuacct" or "cpuset" or "memory" or "devices" or "freezer" or "net_cls" or "blkio"
            or "perf_event" or "net_prio" or "hugetlb" or "pids" or "rdma" or "misc";
}
