namespace ContainerPS.Core.Security;

/// <summary>
/// The capabilities of capabilities(7) by number, as "CAP_CHOWN"; a name is read with or without the CAP_ prefix, in
/// any case, as docker's --cap-add reads it.
/// </summary>
public static class CapabilityNames
{
    /// <summary>Index = capability number (linux/capability.h), up to CAP_CHECKPOINT_RESTORE (40, Linux 5.9).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>The number of "sys_admin", "CAP_SYS_ADMIN", "Sys_Admin"...; null for a name capabilities(7) does not have.</summary>
    public static int? Number(string name)
    {
        var full = name.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? name : "CAP_" + name;
        for (var number = 0; number < All.Count; number++)
        {
            if (string.Equals(All[number], full, StringComparison.OrdinalIgnoreCase))
            {
                return number;
            }
        }
        return null;
    }

    /// <summary>The names of the capabilities in a mask, lowest number first.</summary>
    public static string[] Of(ulong mask) => All.Where((_, number) => (mask & 1UL << number) != 0).ToArray();
}
