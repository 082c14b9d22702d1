namespace ContainerPS.Core.Cgroups;

/// <summary>
/// Resource limits as typed values, translated per driver (memory.limit_in_bytes on v1, memory.max on v2, ...).
/// As input a null property means "leave as it is"; as output (Get-CgroupLimit) it means the hierarchy that would
/// hold it is not mounted. Unlimited is <see cref="ByteSize.Unlimited"/> for sizes and -1 for counts.
/// </summary>
public sealed class CgroupLimits
{
    /// <summary>The group these limits were read from (output only).</summary>
    public string? Name { get; set; }

    public ByteSize? Memory { get; set; }

    /// <summary>Memory plus swap, as docker's --memory-swap: at least <see cref="Memory"/>.</summary>
    public ByteSize? MemorySwap { get; set; }

    /// <summary>Relative CPU weight, 1-10000 (cgroup v2; converted to cpu.shares on v1).</summary>
    public int? CpuWeight { get; set; }

    /// <summary>v1 cpu.shares, 2-262144 (converted to a weight on v2).</summary>
    public long? CpuShares { get; set; }

    /// <summary>CPUs' worth of time per period: 0.5 is half of one CPU, 2 is two CPUs; -1 for no quota.</summary>
    public double? CpuQuota { get; set; }

    /// <summary>CPUs the group may run on, as the kernel lists them: "0-1", "0,2".</summary>
    public string? CpuSet { get; set; }

    /// <summary>Maximum number of processes and threads; -1 for no limit.</summary>
    public long? Pids { get; set; }

    /// <summary>Relative IO weight, 1-10000 (converted to blkio.weight 10-1000 on v1).</summary>
    public int? IoWeight { get; set; }

    public IoDeviceLimit[]? IoMax { get; set; }

    /// <summary>The controllers these settings need, by their v2 names.</summary>
    public IEnumerable<string> Controllers()
    {
        if (Memory is not null || MemorySwap is not null) yield return "memory";
        if (CpuWeight is not null || CpuShares is not null || CpuQuota is not null) yield return "cpu";
        if (CpuSet is not null) yield return "cpuset";
        if (Pids is not null) yield return "pids";
        if (IoWeight is not null || IoMax is not null) yield return "io";
    }
}

/// <summary>Throughput limits on one block device (io.max on v2, blkio.throttle.* on v1). Null means no limit.</summary>
public sealed class IoDeviceLimit
{
    /// <summary>A block device path (/dev/vda) or its "major:minor".</summary>
    public string Device { get; set; } = "";
    public long? ReadBps { get; set; }
    public long? WriteBps { get; set; }
    public long? ReadIops { get; set; }
    public long? WriteIops { get; set; }

    public override string ToString() =>
        $"{Device} rbps={ReadBps?.ToString() ?? "max"} wbps={WriteBps?.ToString() ?? "max"} riops={ReadIops?.ToString() ?? "max"} wiops={WriteIops?.ToString() ?? "max"}";
}
