using System.Globalization;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Cgroups;

/// <summary>
/// A cgroup v1 hierarchy: one mount per controller set (memory, cpu, cpuacct, cpuset, pids, blkio, freezer, ...),
/// each with its own files: memory.limit_in_bytes, cpu.shares, cpu.cfs_quota_us, pids.max, blkio.throttle.*.
/// </summary>
public sealed class CgroupV1Driver(string mountPoint, IReadOnlyList<string> controllers) : CgroupDriverBase(mountPoint, controllers)
{
    public override int Version => 1;
    public override bool CanFreeze => Has("freezer");

    /// <summary>
    /// cpuset refuses tasks in a group whose cpuset.cpus/mems are empty, and a new v1 group starts empty:
    /// copy them down from the parent at each level we create.
    /// </summary>
    public override void Create(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i <= parts.Length; i++)
        {
            var level = string.Join('/', parts[..i]);
            Directory.CreateDirectory(FullPath(level));
            if (Has("cpuset"))
            {
                var parent = string.Join('/', parts[..(i - 1)]);
                foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
                {
                    if (string.IsNullOrWhiteSpace(ReadFile(level, file)))
                    {
                        WriteFile(level, file, ReadFile(parent, file) ?? "");
                    }
                }
            }
        }
    }

    public override void Apply(string path, CgroupLimits limits)
    {
        if (Has("memory"))
        {
            ApplyMemory(path, limits);
        }
        if (Has("cpu"))
        {
            if ((limits.CpuShares ?? (limits.CpuWeight is { } w ? CgroupUnits.WeightToShares(w) : null)) is { } shares)
            {
                WriteFile(path, "cpu.shares", shares.ToString(CultureInfo.InvariantCulture));
            }
            if (limits.CpuQuota is { } quota)
            {
                WriteFile(path, "cpu.cfs_period_us", CgroupUnits.CpuPeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
                WriteFile(path, "cpu.cfs_quota_us", quota < 0 ? "-1" : ((long)(quota * CgroupUnits.CpuPeriodMicroseconds)).ToString(CultureInfo.InvariantCulture));
            }
        }
        if (Has("cpuset") && limits.CpuSet is { } cpus)
        {
            WriteFile(path, "cpuset.cpus", cpus);
        }
        if (Has("pids") && limits.Pids is { } pids)
        {
            WriteFile(path, "pids.max", pids < 0 ? "max" : pids.ToString(CultureInfo.InvariantCulture));
        }
        if (Has("io"))
        {
            ApplyBlkio(path, limits);
        }
    }

    /// <summary>
    /// Empties the group's list with "a" in devices.deny, then writes each allowed device to devices.allow: a new v1
    /// group starts with its parent's list, which at the top is "a *:* rwm".
    /// </summary>
    public override void RestrictDevices(string path, IReadOnlyList<Security.DeviceRule> allowed)
    {
        if (!Has("devices"))
        {
            return;
        }
        WriteFile(path, "devices.deny", "a");
        foreach (var rule in allowed)
        {
            WriteFile(path, "devices.allow", rule.ToV1Line());
        }
    }

    // memory.memsw.limit_in_bytes must stay >= memory.limit_in_bytes at every moment: when lowering, memory
    // goes first; when raising, memsw does. Try one order and fall back to the other.
    private void ApplyMemory(string path, CgroupLimits limits)
    {
        var memory = limits.Memory is { } m ? (m.IsUnlimited ? "-1" : m.Bytes.ToString(CultureInfo.InvariantCulture)) : null;
        var swap = limits.MemorySwap is { } s ? (s.IsUnlimited ? "-1" : s.Bytes.ToString(CultureInfo.InvariantCulture)) : null;
        if (swap is not null && ReadFile(path, "memory.memsw.limit_in_bytes") is null)
        {
            throw new ContainerPS.Core.Interop.ContainerPSException("SwapAccountingDisabled", ContainerPS.Core.Interop.FailureKind.ResourceUnavailable,
                "-MemorySwap needs swap accounting (memory.memsw.limit_in_bytes), which this kernel has off. Boot with swapaccount=1, or leave -MemorySwap out.", path);
        }
        try
        {
            WriteOptional(path, "memory.limit_in_bytes", memory);
            WriteOptional(path, "memory.memsw.limit_in_bytes", swap);
        }
        catch (CgroupWriteRefusedException e) when (e.Errno == (int)Interop.Errno.EINVAL && memory is not null && swap is not null)
        {
            WriteFile(path, "memory.memsw.limit_in_bytes", swap);
            WriteFile(path, "memory.limit_in_bytes", memory);
        }
    }

    private void WriteOptional(string path, string file, string? value)
    {
        if (value is not null)
        {
            WriteFile(path, file, value);
        }
    }

    private void ApplyBlkio(string path, CgroupLimits limits)
    {
        if (limits.IoWeight is { } weight)
        {
            var file = ReadFile(path, "blkio.weight") is not null ? "blkio.weight" : "blkio.bfq.weight";
            if (ReadFile(path, file) is null)
            {
                throw new ContainerPS.Core.Interop.ContainerPSException("IoWeightUnavailable", ContainerPS.Core.Interop.FailureKind.ResourceUnavailable,
                    "-IoWeight needs a proportional IO scheduler (CFQ or BFQ: blkio.weight or blkio.bfq.weight), and this kernel has neither.", path);
            }
            // CFQ's blkio.weight is 10-1000 around 500; BFQ's is 1-1000 around 100, the v2 scale up to 1000.
            var value = file == "blkio.weight" ? CgroupUnits.IoWeightToBlkio(weight) : Math.Clamp(weight, 1, 1000);
            WriteFile(path, file, value.ToString(CultureInfo.InvariantCulture));
        }
        foreach (var device in limits.IoMax ?? [])
        {
            var number = CgroupUnits.DeviceNumber(device.Device);
            // 0 removes a v1 throttle rule: that is how "no limit" is written.
            WriteFile(path, "blkio.throttle.read_bps_device", $"{number} {device.ReadBps ?? 0}");
            WriteFile(path, "blkio.throttle.write_bps_device", $"{number} {device.WriteBps ?? 0}");
            WriteFile(path, "blkio.throttle.read_iops_device", $"{number} {device.ReadIops ?? 0}");
            WriteFile(path, "blkio.throttle.write_iops_device", $"{number} {device.WriteIops ?? 0}");
        }
    }

    public override void ReadLimits(string path, CgroupLimits into)
    {
        if (Has("memory"))
        {
            into.Memory = Size(ReadNumber(path, "memory.limit_in_bytes"));
            into.MemorySwap = Size(ReadNumber(path, "memory.memsw.limit_in_bytes"));
        }
        if (Has("cpu"))
        {
            into.CpuShares = ReadNumber(path, "cpu.shares");
            into.CpuWeight = into.CpuShares is { } shares ? CgroupUnits.SharesToWeight(shares) : null;
            var quota = ReadNumber(path, "cpu.cfs_quota_us");
            var period = ReadNumber(path, "cpu.cfs_period_us") ?? CgroupUnits.CpuPeriodMicroseconds;
            into.CpuQuota = quota is null or < 0 ? -1 : (double)quota / period;
        }
        if (Has("cpuset"))
        {
            into.CpuSet = ReadFile(path, "cpuset.cpus");
        }
        if (Has("pids"))
        {
            into.Pids = ReadNumber(path, "pids.max") ?? -1;
        }
        if (Has("io"))
        {
            into.IoWeight = ReadNumber(path, "blkio.weight") is { } cfq ? CgroupUnits.BlkioToIoWeight((int)cfq)
                : ReadNumber(path, "blkio.bfq.weight") is { } bfq ? (int)bfq : null;
            into.IoMax = ReadThrottles(path);
        }
    }

    private IoDeviceLimit[] ReadThrottles(string path)
    {
        var devices = new SortedDictionary<string, IoDeviceLimit>();
        foreach (var (file, set) in new (string, Action<IoDeviceLimit, long>)[]
        {
            ("blkio.throttle.read_bps_device", (d, v) => d.ReadBps = v),
            ("blkio.throttle.write_bps_device", (d, v) => d.WriteBps = v),
            ("blkio.throttle.read_iops_device", (d, v) => d.ReadIops = v),
            ("blkio.throttle.write_iops_device", (d, v) => d.WriteIops = v),
        })
        {
            foreach (var line in (ReadFile(path, file) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split(' ');
                if (!devices.TryGetValue(parts[0], out var device))
                {
                    devices[parts[0]] = device = new IoDeviceLimit { Device = parts[0] };
                }
                set(device, long.Parse(parts[1], CultureInfo.InvariantCulture));
            }
        }
        return devices.Values.ToArray();
    }

    public override long? ReadOomKills(string path) => Has("memory") ? ReadKey(path, "memory.oom_control", "oom_kill") : null;

    public override void ReadStats(string path, CgroupStat into)
    {
        if (Has("memory"))
        {
            into.MemoryCurrent = ReadNumber(path, "memory.usage_in_bytes");
            into.MemoryPeak = ReadNumber(path, "memory.max_usage_in_bytes");
            into.OomKills = ReadOomKills(path);
        }
        if (Has("cpuacct") && ReadNumber(path, "cpuacct.usage") is { } nanoseconds)
        {
            into.CpuUsage = TimeSpan.FromTicks(nanoseconds / 100);
        }
        if (Has("cpu"))
        {
            into.ThrottledPeriods = ReadKey(path, "cpu.stat", "nr_throttled");
            into.ThrottledTime = ReadKey(path, "cpu.stat", "throttled_time") is { } ns ? TimeSpan.FromTicks(ns / 100) : null;
        }
        if (Has("pids"))
        {
            into.PidsCurrent = ReadNumber(path, "pids.current");
        }
        if (Has("io"))
        {
            long read = 0, write = 0;
            foreach (var line in (ReadFile(path, "blkio.throttle.io_service_bytes") ?? "").Split('\n'))
            {
                var parts = line.Split(' ');
                if (parts.Length == 3 && long.TryParse(parts[2], out var bytes))
                {
                    if (parts[1] == "Read") read += bytes;
                    else if (parts[1] == "Write") write += bytes;
                }
            }
            into.IoReadBytes = read;
            into.IoWriteBytes = write;
        }
    }

    /// <summary>
    /// v1 freezing can stall in FREEZING (a task caught mid-fork or in a vfork wait never reaches the freezer); the
    /// kernel retries on each write of FROZEN, and a brief thaw unsticks it, as runc's freezer loop also does.
    /// </summary>
    public override void Freeze(string path, bool frozen)
    {
        var wanted = frozen ? "FROZEN" : "THAWED";
        var attempt = 0;
        WaitFor(() =>
        {
            if (frozen && ++attempt % 50 == 0)
            {
                WriteFile(path, "freezer.state", "THAWED");
            }
            WriteFile(path, "freezer.state", wanted);
            return ReadFile(path, "freezer.state") == wanted;
        }, $"freezer.state of {path}");
    }

    public override bool IsFrozen(string path) => ReadFile(path, "freezer.state") is "FROZEN" or "FREEZING";

    /// <summary>v1 reports "no limit" as a huge page-aligned number (PAGE_COUNTER_MAX pages).</summary>
    private static ByteSize? Size(long? bytes) => bytes switch
    {
        null => null,
        >= 0x7FFF_FFFF_FFFF_F000 or < 0 => ByteSize.Unlimited,
        _ => (ByteSize)bytes.Value,
    };
}
