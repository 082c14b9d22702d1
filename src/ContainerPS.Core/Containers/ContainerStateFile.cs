namespace ContainerPS.Core.Containers;

/// <summary>
/// What the shim records about the running process (state.json), written atomically. The status itself is
/// derived from it and from the kernel (ContainerStore.StatusOf), so a crashed shim cannot leave a lie behind.
/// </summary>
public sealed record ContainerStateFile
{
    public int Pid { get; init; }

    /// <summary>Start time of the pid in clock ticks since boot (/proc/PID/stat field 22): tells a live process from a reused pid.</summary>
    public ulong PidStartTime { get; init; }

    public int ShimPid { get; init; }
    public ulong ShimStartTime { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public int? ExitCode { get; init; }
    public int? ExitSignal { get; init; }

    /// <summary>The kernel's OOM killer killed a process of the container (its cgroup's oom_kill count rose).</summary>
    public bool OomKilled { get; init; }
}
