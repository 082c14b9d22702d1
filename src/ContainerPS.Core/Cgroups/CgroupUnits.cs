using ContainerPS.Core.Containers;

namespace ContainerPS.Core.Cgroups;

/// <summary>The conversions between v1 and v2 scales, the ones runc and the kernel documentation use.</summary>
public static class CgroupUnits
{
    /// <summary>CFS period used for quotas: 100 ms, the kernel's default.</summary>
    public const long CpuPeriodMicroseconds = 100_000;

    /// <summary>cpu.shares (2-262144) to cpu.weight (1-10000).</summary>
    public static int SharesToWeight(long shares) => (int)(1 + (Math.Clamp(shares, 2, 262144) - 2) * 9999 / 262142);

    /// <summary>cpu.weight (1-10000) to cpu.shares (2-262144).</summary>
    public static long WeightToShares(int weight) => 2 + (Math.Clamp(weight, 1, 10000) - 1L) * 262142 / 9999;

    /// <summary>io.weight (1-10000) to blkio.weight (10-1000).</summary>
    public static int IoWeightToBlkio(int weight) => 10 + (Math.Clamp(weight, 1, 10000) - 1) * 990 / 9999;

    public static int BlkioToIoWeight(int weight) => 1 + (Math.Clamp(weight, 10, 1000) - 10) * 9999 / 990;

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
