namespace ContainerPS.Core.Security.Seccomp;

/// <summary>Capability names as capabilities(7) writes them (CAP_SYS_ADMIN), for the caps a profile's rules are gated on.</summary>
internal static class CapabilityNumbers
{
    /// <summary>The names in number order, from CAP_CHOWN (0) to CAP_CHECKPOINT_RESTORE (40).</summary>
    private static readonly string[] Names =
    [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE",
    ];

    /// <summary>The number of CAP_NAME (or NAME), or null for a name the kernel has no capability for.</summary>
    public static int? Of(string name)
    {
        var bare = name.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? name[4..] : name;
        var index = Array.FindIndex(Names, n => string.Equals(n, bare, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? null : index;
    }
}
