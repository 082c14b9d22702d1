using System.Globalization;

namespace ContainerPS.Core.Security;

/// <summary>What a process may do with a device node. The values are the kernel's BPF_DEVCG_ACC_* bits.</summary>
[Flags]
public enum DeviceAccess
{
    Mknod = 1,
    Read = 2,
    Write = 4,
    All = Mknod | Read | Write,
}

/// <summary>The two kinds of device node, by the letter cgroup v1's devices.allow and `ls -l` use.</summary>
public enum DeviceType
{
    Block = 'b',
    Char = 'c',
}

/// <summary>
/// One device a container may use: its type, its numbers (null is any number, as "*" in devices.allow) and what it
/// may do with it. A container's device cgroup denies everything, then allows a list of these
/// (<see cref="DeviceAllowList"/>); the v1 devices files and the v2 BPF program (<see cref="DeviceProgram"/>) are
/// two spellings of the same list.
/// </summary>
public sealed record DeviceRule(DeviceType Type, uint? Major, uint? Minor, DeviceAccess Access)
{
    /// <summary>The line cgroup v1's devices.allow takes: "c 136:* rwm".</summary>
    public string ToV1Line() => $"{(char)Type} {Number(Major)}:{Number(Minor)} {AccessLetters(Access)}";

    /// <summary>"rwm" in that order, for the letters that are set.</summary>
    public static string AccessLetters(DeviceAccess access) =>
        (access.HasFlag(DeviceAccess.Read) ? "r" : "") + (access.HasFlag(DeviceAccess.Write) ? "w" : "") + (access.HasFlag(DeviceAccess.Mknod) ? "m" : "");

    /// <summary>Reads "rwm", "r", "rw"...; null when a letter is none of r, w, m or the text is empty.</summary>
    public static DeviceAccess? ParseAccess(string letters)
    {
        DeviceAccess access = 0;
        foreach (var letter in letters)
        {
            access |= letter switch
            {
                'r' => DeviceAccess.Read,
                'w' => DeviceAccess.Write,
                'm' => DeviceAccess.Mknod,
                _ => (DeviceAccess)(-1),
            };
        }
        return access is 0 or < 0 || access > DeviceAccess.All ? null : access;
    }

    private static string Number(uint? number) => number?.ToString(CultureInfo.InvariantCulture) ?? "*";
}
