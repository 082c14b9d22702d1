namespace ContainerPS.Core.Cgroups;

/// <summary>
/// Moving a process between cgroups takes the kernel's global threadgroup lock for writing, and the first writer
/// after a quiet spell waits a whole RCU grace period for it (4-16 ms measured here, the largest part of a container
/// start; crun and runc pay it too). A writer that comes while the lock is still in its post-writer state does not
/// wait. So, before a start or an exec, a background thread makes one move that changes nothing: our own process
/// into the root group of a hierarchy it is already at the root of. The grace period then passes while the shim
/// starts or the child is cloned, and the real move finds the lock ready.
/// </summary>
public static class MigrationLockPrimer
{
    private static readonly string? NoOpTarget = FindRootWeAreIn();

    public static void Prime()
    {
        if (NoOpTarget is { } procs)
        {
            var self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                try
                {
                    File.WriteAllText(procs, self);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // only a head start: the real move works without it
                }
            }, null);
        }
    }

    /// <summary>The cgroup.procs of a hierarchy root that /proc/self/cgroup says we are in, or null.</summary>
    private static string? FindRootWeAreIn()
    {
        try
        {
            var roots = File.ReadAllLines("/proc/self/cgroup").Where(l => l.EndsWith(":/", StringComparison.Ordinal)).ToArray();
            foreach (var driver in CgroupHierarchies.Mounted)
            {
                var inRoot = roots.Any(l =>
                {
                    var controllers = l.Split(':')[1];
                    return driver.Version == 2 ? l.StartsWith("0::", StringComparison.Ordinal) : controllers.Split(',').Select(c => c == "blkio" ? "io" : c).Any(driver.Controllers.Contains);
                });
                if (inRoot && File.Exists(Path.Combine(driver.MountPoint, "cgroup.procs")))
                {
                    return Path.Combine(driver.MountPoint, "cgroup.procs");
                }
            }
        }
        catch (IOException)
        {
            // no readable /proc/self/cgroup: nothing to prime with
        }
        return null;
    }
}
