using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Cgroups;

/// <summary>
/// What a control file would have accepted, for the message of a refused write. The kernel says only EINVAL or
/// EBUSY; the bounds it checks against are in the group's own files or its parent's, so they are read from there.
/// </summary>
internal static class CgroupWriteHint
{
    public static string? For(CgroupDriverBase driver, string path, string file, int errno)
    {
        var parent = path.Contains('/') ? path[..path.LastIndexOf('/')] : "";
        return ((Errno)errno, file) switch
        {
            (Errno.EINVAL or Errno.ERANGE, "cpuset.cpus" or "cpuset.mems") when driver.ReadFile(parent, file) is { Length: > 0 } allowed =>
                $"Valid: a list of ranges within the parent group's {file}, {allowed} (such as '{allowed.Split(',')[0]}').",
            (Errno.EBUSY, "memory.limit_in_bytes" or "memory.max") when Usage(driver, path) is { } usage =>
                $"The group uses {usage} bytes now and the kernel could not reclaim enough to go below the new limit; give at least that much, or end some of its processes first.",
            (Errno.EINVAL, "memory.memsw.limit_in_bytes") =>
                $"Memory plus swap must be at least the memory limit ({driver.ReadFile(path, "memory.limit_in_bytes")} bytes now); -MemorySwap 'max' lifts it.",
            (Errno.EINVAL, "memory.limit_in_bytes") =>
                $"The memory limit may not exceed memory plus swap ({driver.ReadFile(path, "memory.memsw.limit_in_bytes")} bytes now); raise -MemorySwap with it.",
            (Errno.EINVAL, "pids.max") => "Valid: a positive number of processes, or 'max'.",
            (Errno.EINVAL, "cpu.shares") => "Valid: 2 to 262144 shares (1024 is the default).",
            (Errno.EINVAL, "cpu.weight") => "Valid: 1 to 10000 (100 is the default).",
            (Errno.EINVAL, "cpu.cfs_quota_us" or "cpu.max") => "Valid: a quota of at least 1 ms per 100 ms period (-CpuQuota 0.01), or no limit (-1).",
            (Errno.EBUSY, "cgroup.subtree_control") =>
                $"Processes are in '{path}', and cgroup v2 lets only a group without processes of its own pass controllers to child groups (the no-internal-process rule). Make the child beside it, or move its processes into a child group first.",
            (Errno.ESRCH, "cgroup.procs" or "tasks") => "The process has ended, or never existed.",
            _ => null,
        };
    }

    private static long? Usage(CgroupDriverBase driver, string path) =>
        long.TryParse(driver.ReadFile(path, "memory.usage_in_bytes") ?? driver.ReadFile(path, "memory.current"), out var bytes) ? bytes : null;
}
