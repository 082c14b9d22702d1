using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Cgroups;

/// <summary>The conversions between the v1 and v2 scales of the same settings.</summary>
public static class CgroupUnits
{
    /// <summary>CFS period used for quotas: 100 ms, the kernel's default.</summary>
    public const long CpuPeriodMicroseconds = 100_000;

    // The v1 and v2 scales are mapped in proportion around their defaults (cpu.shares 1024 = cpu.weight 100,
    // blkio.weight 500 = io.weight 100), as systemd maps CPUShares to CPUWeight: a default reads back as a default,
    // and a value set on one scale reads back as set.

    /// <summary>cpu.shares (2-262144) to cpu.weight (1-10000).</summary>
    public static int SharesToWeight(long shares) => (int)Math.Clamp(Math.Round(shares * 100 / 1024.0), 1, 10000);

    /// <summary>cpu.weight (1-10000) to cpu.shares (2-262144).</summary>
    public static long WeightToShares(int weight) => (long)Math.Clamp(Math.Round(weight * 1024 / 100.0), 2, 262144);

    /// <summary>io.weight (1-10000) to blkio.weight (10-1000).</summary>
    public static int IoWeightToBlkio(int weight) => Math.Clamp(weight * 5, 10, 1000);

    /// <summary>blkio.weight (10-1000) to io.weight (1-10000).</summary>
    public static int BlkioToIoWeight(int weight) => Math.Clamp((int)Math.Round(weight / 5.0), 1, 10000);

    /// <summary>"major:minor" of a block device given by path or already as numbers.</summary>
    public static string DeviceNumber(string device)
    {
        if (System.Text.RegularExpressions.Regex.IsMatch(device, @"^\d+:\d+$"))
        {
            return device;
        }
        var rdev = DeviceStat.Of(device);
        if (rdev is null)
        {
            throw new ContainerPSException("BlockDeviceNotFound", FailureKind.ObjectNotFound,
                $"'{device}' is not a block device. Give a device path such as /dev/vda, or its major:minor such as 253:0.", device);
        }
        return rdev;
    }
}
