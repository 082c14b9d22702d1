namespace ContainerPS.Core.Cgroups;

/// <summary>Accounting of a group at one moment; a property is null where no mounted hierarchy counts it.</summary>
public sealed class CgroupStat
{
    public string? Name { get; set; }
    public DateTime Timestamp { get; set; }
    public long? MemoryCurrent { get; set; }
    public long? MemoryPeak { get; set; }

    /// <summary>Processes the OOM killer killed in this group.</summary>
    public long? OomKills { get; set; }

    /// <summary>Total CPU time of the group's tasks.</summary>
    public TimeSpan? CpuUsage { get; set; }

    /// <summary>Periods in which the group hit its CPU quota, and the time it spent throttled.</summary>
    public long? ThrottledPeriods { get; set; }
    public TimeSpan? ThrottledTime { get; set; }

    public long? PidsCurrent { get; set; }
    public long? IoReadBytes { get; set; }
    public long? IoWriteBytes { get; set; }
}
