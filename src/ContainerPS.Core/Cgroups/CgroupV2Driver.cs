using System.Globalization;

namespace ContainerPS.Core.Cgroups;

/// <summary>
/// The cgroup v2 unified tree (here mounted at /sys/fs/cgroup/unified beside the v1 controllers): memory.max,
/// memory.swap.max, cpu.weight, cpu.max, cpuset.cpus, pids.max, io.weight, io.max; freezing (cgroup.freeze),
/// killing (cgroup.kill) and cpu.stat's usage are core features every v2 group has.
/// Controllers are delegated down the tree through cgroup.subtree_control as groups are created.
/// </summary>
public sealed class CgroupV2Driver(string mountPoint, IReadOnlyList<string> controllers) : CgroupDriverBase(mountPoint, controllers)
{
    public override int Version => 2;
    public override bool CanFreeze => true;

    /// <summary>Creates each level and enables the tree's controllers for its children (the no-internal-process rule allows it: our groups above the leaves hold no process).</summary>
    public override void Create(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var parent = string.Join('/', parts[..i]);
            var enabled = (ReadFile(parent, "cgroup.subtree_control") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var missing = Controllers.Except(enabled).ToArray();
            if (missing.Length > 0)
            {
                WriteFile(parent, "cgroup.subtree_control", string.Join(' ', missing.Select(c => "+" + c)));
            }
            Directory.CreateDirectory(FullPath(string.Join('/', parts[..(i + 1)])));
        }
    }

    public override void Apply(string path, CgroupLimits limits)
    {
        if (Has("memory"))
        {
            if (limits.Memory is { } memory)
            {
                WriteFile(path, "memory.max", Max(memory));
            }
            if (limits.MemorySwap is { } total)
            {
                // v2 limits swap alone; docker's --memory-swap is memory plus swap.
                var memoryLimit = limits.Memory ?? (ReadNumber(path, "memory.max") is { } m ? (ByteSize)m : ByteSize.Unlimited);
                var swap = total.IsUnlimited ? "max" : memoryLimit.IsUnlimited ? "0" : Math.Max(0, total.Bytes - memoryLimit.Bytes).ToString(CultureInfo.InvariantCulture);
                WriteFile(path, "memory.swap.max", swap);
            }
        }
        if (Has("cpu"))
        {
            if ((limits.CpuWeight ?? (limits.CpuShares is { } s ? CgroupUnits.SharesToWeight(s) : null)) is { } weight)
            {
                WriteFile(path, "cpu.weight", weight.ToString(CultureInfo.InvariantCulture));
            }
            if (limits.CpuQuota is { } quota)
            {
                var max = quota < 0 ? "max" : ((long)(quota * CgroupUnits.CpuPeriodMicroseconds)).ToString(CultureInfo.InvariantCulture);
                WriteFile(path, "cpu.max", $"{max} {CgroupUnits.CpuPeriodMicroseconds}");
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
            if (limits.IoWeight is { } ioWeight)
            {
                WriteFile(path, "io.weight", $"default {ioWeight}");
            }
            foreach (var device in limits.IoMax ?? [])
            {
                WriteFile(path, "io.max", $"{CgroupUnits.DeviceNumber(device.Device)} rbps={Max(device.ReadBps)} wbps={Max(device.WriteBps)} riops={Max(device.ReadIops)} wiops={Max(device.WriteIops)}");
            }
        }
    }

    public override void ReadLimits(string path, CgroupLimits into)
    {
        if (Has("memory"))
        {
            into.Memory = Size(ReadFile(path, "memory.max"));
            var swap = Size(ReadFile(path, "memory.swap.max"));
            into.MemorySwap = swap is null ? null : swap.Value.IsUnlimited || into.Memory is not { IsUnlimited: false } m ? ByteSize.Unlimited : (ByteSize)(m.Bytes + swap.Value.Bytes);
        }
        if (Has("cpu"))
        {
            into.CpuWeight = ReadNumber(path, "cpu.weight") is { } w ? (int)w : null;
            into.CpuShares = into.CpuWeight is { } weight ? CgroupUnits.WeightToShares(weight) : null;
            var max = (ReadFile(path, "cpu.max") ?? "max").Split(' ');
            into.CpuQuota = max[0] == "max" ? -1 : double.Parse(max[0], CultureInfo.InvariantCulture) / double.Parse(max[1], CultureInfo.InvariantCulture);
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
            into.IoWeight = ReadKey(path, "io.weight", "default") is { } io ? (int)io : null;
            into.IoMax = (ReadFile(path, "io.max") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseIoMax).ToArray();
        }
    }

    public override long? ReadOomKills(string path) => Has("memory") ? ReadKey(path, "memory.events", "oom_kill") : null;

    public override void ReadStats(string path, CgroupStat into)
    {
        if (Has("memory"))
        {
            into.MemoryCurrent = ReadNumber(path, "memory.current");
            into.MemoryPeak = ReadNumber(path, "memory.peak");
            into.OomKills = ReadOomKills(path);
        }
        // cpu.stat's usage is core in v2; on a hybrid host v1's cpuacct may have filled it already.
        into.CpuUsage ??= ReadKey(path, "cpu.stat", "usage_usec") is { } usec ? TimeSpan.FromTicks(usec * 10) : null;
        if (Has("cpu"))
        {
            into.ThrottledPeriods = ReadKey(path, "cpu.stat", "nr_throttled");
            into.ThrottledTime = ReadKey(path, "cpu.stat", "throttled_usec") is { } t ? TimeSpan.FromTicks(t * 10) : null;
        }
        if (Has("pids"))
        {
            into.PidsCurrent = ReadNumber(path, "pids.current");
        }
        if (Has("io"))
        {
            long read = 0, write = 0;
            foreach (var line in (ReadFile(path, "io.stat") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var field in line.Split(' ').Skip(1))
                {
                    var kv = field.Split('=');
                    if (kv[0] == "rbytes") read += long.Parse(kv[1], CultureInfo.InvariantCulture);
                    if (kv[0] == "wbytes") write += long.Parse(kv[1], CultureInfo.InvariantCulture);
                }
            }
            into.IoReadBytes = read;
            into.IoWriteBytes = write;
        }
    }

    public override void Freeze(string path, bool frozen)
    {
        WriteFile(path, "cgroup.freeze", frozen ? "1" : "0");
        WaitFor(() => ReadKey(path, "cgroup.events", "frozen") == (frozen ? 1 : 0), $"cgroup.freeze of {path}");
    }

    public override bool IsFrozen(string path) => ReadFile(path, "cgroup.freeze") == "1";

    /// <summary>
    /// cgroup2 has no devices files: every tree, controllers or none, runs an attached device program
    /// (<see cref="Security.DeviceProgram"/>) for its group's processes.
    /// </summary>
    public override void RestrictDevices(string path, IReadOnlyList<Security.DeviceRule> allowed)
    {
        var directory = FullPath(path);
        using var group = Interop.Sys.Open(directory, Tmds.Linux.LibC.O_RDONLY | Tmds.Linux.LibC.O_DIRECTORY);
        Security.DeviceProgram.AttachTo(group, allowed, directory);
    }

    /// <summary>Kills every process in the group and its descendants at once (cgroup.kill, Linux 5.14+).</summary>
    public bool TryKillAll(string path)
    {
        if (!File.Exists(Path.Combine(FullPath(path), "cgroup.kill")))
        {
            return false;
        }
        WriteFile(path, "cgroup.kill", "1");
        return true;
    }

    private static string Max(ByteSize size) => size.IsUnlimited ? "max" : size.Bytes.ToString(CultureInfo.InvariantCulture);

    private static string Max(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "max";

    private static ByteSize? Size(string? text) => text switch
    {
        null => null,
        "max" => ByteSize.Unlimited,
        _ => (ByteSize)long.Parse(text, CultureInfo.InvariantCulture),
    };

    private static IoDeviceLimit ParseIoMax(string line)
    {
        var fields = line.Split(' ');
        var limit = new IoDeviceLimit { Device = fields[0] };
        foreach (var kv in fields.Skip(1).Select(f => f.Split('=')))
        {
            long? value = kv[1] == "max" ? null : long.Parse(kv[1], CultureInfo.InvariantCulture);
            switch (kv[0])
            {
                case "rbps": limit.ReadBps = value; break;
                case "wbps": limit.WriteBps = value; break;
                case "riops": limit.ReadIops = value; break;
                case "wiops": limit.WriteIops = value; break;
            }
        }
        return limit;
    }
}
