using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Security;

/// <summary>
/// Limits what root inside the container may do to the default capability set Docker and podman give
/// (chown, dac_override, fowner, fsetid, kill, setgid, setuid, setpcap, net_bind_service, net_raw, sys_chroot,
/// mknod, audit_write, setfcap). Dropping the bounding set is what sticks: after execve root's permitted set is
/// the bounding set. The inheritable set is cleared so it cannot carry anything past it.
/// </summary>
public static unsafe class Capabilities
{
    public static readonly int[] ContainerDefault = [0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31];

    private const int PR_CAPBSET_DROP = 24;
    private const uint LinuxCapabilityVersion3 = 0x20080522;

    public static void LimitTo(IReadOnlyCollection<int> keep)
    {
        var last = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim());
        for (var cap = 0; cap <= last; cap++)
        {
            if (!keep.Contains(cap))
            {
                Sys.Prctl(PR_CAPBSET_DROP, (ulong)cap);
            }
        }
        var header = stackalloc uint[2] { LinuxCapabilityVersion3, 0 };
        var data = stackalloc uint[6]; // two cap_user_data_t: effective, permitted, inheritable
        Check.Result(RawSyscall.Invoke(SyscallNumber.Capget, (long)header, (long)data), "capget");
        data[2] = data[5] = 0;
        Check.Result(RawSyscall.Invoke(SyscallNumber.Capset, (long)header, (long)data), "capset");
    }
}
