using System.Runtime.InteropServices;

namespace ContainerPS.Core.Interop;

/// <summary>
/// One architecture's system calls by name, for seccomp profiles (which name them) and for the calls the runtime
/// makes by number. Each table is written as names in number order, in blocks that start at a given number, so a row
/// is found by counting; a test compares each with its kernel headers. What seccomp needs to know about the
/// architecture (its AUDIT_ARCH value, the names profiles give it) is kept beside the numbers it qualifies.
/// </summary>
internal sealed partial class SyscallTable
{
    /// <summary>From 424 (pidfd_send_signal, Linux 5.1) every architecture numbers new calls alike.</summary>
    private const int UnifiedStart = 424;

    private const string Unified =
        "pidfd_send_signal io_uring_setup io_uring_enter io_uring_register open_tree move_mount fsopen " +
        "fsconfig fsmount fspick pidfd_open clone3 close_range openat2 pidfd_getfd faccessat2 " +
        "process_madvise epoll_pwait2 mount_setattr quotactl_fd landlock_create_ruleset landlock_add_rule " +
        "landlock_restrict_self memfd_secret process_mrelease futex_waitv set_mempolicy_home_node cachestat " +
        "fchmodat2 map_shadow_stack futex_wake futex_wait futex_requeue statmount listmount " +
        "lsm_get_self_attr lsm_set_self_attr lsm_list_modules mseal";

    private readonly Dictionary<string, long> numbers = new(StringComparer.Ordinal);

    private SyscallTable(string name, uint auditArch, uint foreignAbiBit, string[] seccompNames, params (int Start, string Names)[] blocks)
    {
        Name = name;
        AuditArch = auditArch;
        ForeignAbiBit = foreignAbiBit;
        SeccompNames = seccompNames;
        foreach (var (start, names) in blocks)
        {
            var number = start;
            foreach (var call in names.Split(' '))
            {
                numbers[call] = number++;
            }
        }
    }

    /// <summary>The table of the architecture this process runs on, or null where Core has none.</summary>
    public static SyscallTable? Native => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => X86_64,
        Architecture.Arm64 => Aarch64,
        _ => null,
    };

    /// <summary>The architecture as uname -m says it.</summary>
    public string Name { get; }

    /// <summary>The value seccomp_data.arch holds for a call through this ABI (AUDIT_ARCH_*).</summary>
    public uint AuditArch { get; }

    /// <summary>A bit that marks another ABI's calls inside these numbers (x32's on x86-64), or 0.</summary>
    public uint ForeignAbiBit { get; }

    /// <summary>The names Docker and OCI profiles give this architecture (includes.arches, SCMP_ARCH_*).</summary>
    public IReadOnlyList<string> SeccompNames { get; }

    /// <summary>The number of the call called <paramref name="name"/>, or null for a name this architecture has no call for.</summary>
    public long? Of(string name) => numbers.TryGetValue(name, out var number) ? number : null;
}
