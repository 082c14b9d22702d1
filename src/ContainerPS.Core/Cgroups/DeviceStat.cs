using ContainerPS.Core.Interop;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Cgroups;

/// <summary>stat(2) of a device node: its type, numbers and permission bits.</summary>
internal static class DeviceStat
{
    /// <summary>"major:minor" when the path is a block device (blkio limits name disks so).</summary>
    public static string? Of(string path) =>
        Node(path) is { Type: DeviceType.Block } node ? $"{node.Major}:{node.Minor}" : null;

    /// <summary>The node at the path (symlinks followed), or null when it is missing or no device.</summary>
    public static (DeviceType Type, uint Major, uint Minor, uint Permissions)? Node(string path)
    {
        if (!Sys.TryStat(path, out var st))
        {
            return null;
        }
        DeviceType? type = ((uint)st.st_mode & 0xF000) switch
        {
            0x6000 => DeviceType.Block, // S_IFBLK
            0x2000 => DeviceType.Char, // S_IFCHR
            _ => null,
        };
        if (type is null)
        {
            return null;
        }
        ulong rdev = st.st_rdev;
        var major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffUL);
        var minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffUL);
        return (type.Value, (uint)major, (uint)minor, (uint)st.st_mode & 0x1FF);
    }
}
