using Tmds.Linux;

namespace ContainerPS.Core.Cgroups;

/// <summary>stat(2) of a device node: its "major:minor" when it is a block device.</summary>
internal static unsafe class DeviceStat
{
    public static string? Of(string path)
    {
        stat st;
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
        {
            if (LibC.stat(p, &st) != 0 || ((uint)st.st_mode & 0xF000) != 0x6000 /* S_IFBLK */)
            {
                return null;
            }
        }
        ulong rdev = st.st_rdev;
        var major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffUL);
        var minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffUL);
        return $"{major}:{minor}";
    }
}
