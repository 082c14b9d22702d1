using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS;

/// <summary>
/// A cmdlet that takes cgroup limits (New-Container, New-Cgroup, Set-CgroupLimit): -Memory 256MB, -MemorySwap,
/// -CpuWeight, -CpuShares, -CpuQuota 0.5, -CpuSet, -Pids, -IoWeight, -IoMax, declared here once as ordinary
/// parameters, so Get-Command -Syntax, help and completion show them. They are checked once, before the first piped
/// object, so a bad value ends the command with one error instead of failing every item.
/// </summary>
public abstract class CgroupLimitCmdlet : ContainerPSCmdlet
{
    /// <summary>Memory limit: 256MB, '1.5GB', 'max'.</summary>
    [Parameter]
    public ByteSize? Memory { get; set; }

    /// <summary>Memory plus swap, as docker's --memory-swap.</summary>
    [Parameter]
    public ByteSize? MemorySwap { get; set; }

    /// <summary>Relative CPU share under contention, 1 to 10000 (cgroup v2 cpu.weight; 100 is the default).</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int? CpuWeight { get; set; }

    /// <summary>Relative CPU share as cgroup v1 cpu.shares counts it, 2 to 262144 (1024 is the default), as docker's --cpu-shares.</summary>
    [Parameter]
    [ValidateRange(2, 262144)]
    public long? CpuShares { get; set; }

    /// <summary>CPUs' worth of time: 0.5 is half of one CPU; -1 removes the quota.</summary>
    [Parameter]
    public double? CpuQuota { get; set; }

    /// <summary>The CPUs the processes may run on: 0-3,6 (cpuset.cpus).</summary>
    [Parameter]
    [ValidatePattern(@"^\d+(-\d+)?(,\d+(-\d+)?)*$")]
    public string? CpuSet { get; set; }

    /// <summary>Maximum processes and threads; -1 removes the limit.</summary>
    [Parameter]
    public long? Pids { get; set; }

    /// <summary>Relative IO share under contention, 1 to 10000 (io.weight).</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int? IoWeight { get; set; }

    /// <summary>Per-device throughput limits: @{ Device = '/dev/vda'; WriteBps = 1MB }.</summary>
    [Parameter]
    public IoDeviceLimit[]? IoMax { get; set; }

    /// <summary>The limits given, checked in BeginProcessing; null when none was.</summary>
    protected CgroupLimits? Limits { get; private set; }

    protected override void BeginProcessing()
    {
        try
        {
            Limits = ToLimits();
        }
        catch (ContainerPSException e)
        {
            ThrowFailure(e, e.Target);
        }
    }

    /// <summary>The limits given, or null when none was; throws for values no kernel would take.</summary>
    private CgroupLimits? ToLimits()
    {
        if (CpuQuota is { } quota && (quota <= 0 && quota != -1 || quota > Environment.ProcessorCount))
        {
            throw new ContainerPSException("InvalidCpuQuota", FailureKind.InvalidArgument,
                $"-CpuQuota {quota} is out of range. Give CPUs' worth of time, more than 0 and at most {Environment.ProcessorCount} (the CPUs here): 0.5 is half of one CPU. -1 removes the quota.", quota);
        }
        if (Pids is { } pids && pids < 1 && pids != -1)
        {
            throw new ContainerPSException("InvalidPidsLimit", FailureKind.InvalidArgument,
                $"-Pids {pids} is out of range. Give the largest number of processes and threads allowed (1 or more), or -1 for no limit.", pids);
        }
        var limits = new CgroupLimits
        {
            Memory = Memory, MemorySwap = MemorySwap, CpuWeight = CpuWeight, CpuShares = CpuShares, CpuQuota = CpuQuota,
            CpuSet = CpuSet, Pids = Pids, IoWeight = IoWeight, IoMax = IoMax,
        };
        return limits.Controllers().Any() ? limits : null;
    }
}
