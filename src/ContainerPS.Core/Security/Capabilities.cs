using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Security;

/// <summary>
/// Limits what root inside the container may do to the default capability set Docker and podman give
/// (chown, dac_override, fowner, fsetid, kill, setgid, setuid, setpcap, net_bind_service, net_raw, sys_chroot,
/// mknod, audit_write, setfcap). Dropping the bounding set is what sticks: after execve root's permitted set is
/// the bounding set. The inheritable set must be empty so it cannot carry anything past it.
/// </summary>
public static unsafe class Capabilities
{
    public static readonly int[] ContainerDefault = [0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31];

    /// <summary>The kernel's highest capability number: a child drops each capability up to it and fails if one will not go.</summary>
    public static int LastCapability { get; } = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The default set as the bounding-set mask a clone child keeps.</summary>
    public static ulong ContainerDefaultMask => ContainerDefault.Aggregate(0UL, (mask, cap) => mask | 1UL << cap);

    private const uint LinuxCapabilityVersion3 = 0x20080522;

    /// <summary>
    /// A capset for the clone child that empties its inheritable set, or null when ours (which it inherits) is empty
    /// already, as it is for root started normally. In a new user namespace the child holds every capability.
    /// </summary>
    public static SetupStep? ClearInheritable(bool inNewUserNamespace)
    {
        var header = stackalloc uint[2] { LinuxCapabilityVersion3, 0 };
        var data = stackalloc uint[6]; // two cap_user_data_t: effective, permitted, inheritable
        Check.Result(RawSyscall.Invoke(SyscallNumber.Capget, (long)header, (long)data), "capget");
        if (data[2] == 0 && data[5] == 0)
        {
            return null;
        }
        if (inNewUserNamespace)
        {
            var all = (1UL << (LastCapability + 1)) - 1;
            data[0] = data[1] = (uint)all;
            data[3] = data[4] = (uint)(all >> 32);
        }
        data[2] = data[5] = 0;
        var headerBytes = new ReadOnlySpan<byte>(header, 8).ToArray();
        var dataBytes = new ReadOnlySpan<byte>(data, 24).ToArray();
        return new SetupStep("capset (empty inheritable set)", SyscallNumber.Capset, [headerBytes, dataBytes]);
    }
}
