using ContainerPS.Core.Security.Seccomp;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Everything the clone child needs, decided before the clone: after it the child may not allocate,
/// so every string and table is laid out in native memory up front by <see cref="CloneChild"/>.
/// </summary>
public sealed record CloneRequest
{
    /// <summary>Namespaces the child is created in.</summary>
    public NamespaceKind NewNamespaces { get; init; }

    /// <summary>
    /// Create a new cgroup namespace only after the child has entered <see cref="Cgroup"/>, so the namespace is rooted
    /// there (a container's). False creates it at the clone.
    /// </summary>
    public bool DeferCgroupNamespace { get; init; } = true;

    /// <summary>
    /// Existing namespaces (open /proc/PID/ns/* or bind-mounted nsfs descriptors) the child joins first. Pid and
    /// time namespaces apply to the children of whoever joins them, so those are joined by the cloning thread.
    /// </summary>
    public IReadOnlyList<(int Fd, NamespaceKind Kind)> Join { get; init; } = [];

    /// <summary>The group the child enters by itself before anything else (see <see cref="CgroupEntry"/>); null stays in ours.</summary>
    public CgroupEntry? Cgroup { get; init; }

    public required string Executable { get; init; }
    public required IReadOnlyList<string> Arguments { get; init; }
    public required IReadOnlyList<string> Environment { get; init; }

    /// <summary>
    /// Descriptors the child gets at fixed numbers (target, source): its stdio, and any the caller means to hand on
    /// above it. These and 0-2 are all that cross execve: the child closes every other one first. The caller keeps
    /// owning each source, and must keep it open until the child is cloned.
    /// </summary>
    public IReadOnlyList<(int Target, SafeFd Source)> Descriptors { get; init; } = [];

    /// <summary>Directory the child changes to before execve (after joining namespaces, so a joined mnt namespace's path); null keeps ours.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Capabilities (bit numbers) the child keeps in its bounding set; null keeps them all.</summary>
    public ulong? KeepCapabilities { get; init; }

    /// <summary>Start a new session with descriptor 0 (a pty slave) as its controlling terminal, as a login shell has.</summary>
    public bool ControllingTerminal { get; init; }

    /// <summary>
    /// System calls made after everything above except the working directory, which is entered after them (a
    /// pivot_root among them changes what it means). A <see cref="SetupStep.Ready"/> among them ends
    /// <see cref="CloneChild.Release"/> early; what follows it runs on its own (the wait on an exec fifo).
    /// </summary>
    public IReadOnlyList<SetupStep> Setup { get; init; } = [];

    /// <summary>
    /// Set no_new_privs before execve: from then on no execve grants more than the process has (setuid and setgid
    /// bits, file capabilities), and a seccomp filter may be installed without CAP_SYS_ADMIN. It cannot be undone.
    /// </summary>
    public bool NoNewPrivileges { get; init; }

    /// <summary>Become uid/gid 0 after the parent wrote the user namespace maps, so capabilities survive execve.</summary>
    public bool BecomeRoot { get; init; }

    /// <summary>
    /// Join the pid and time namespaces in the child, after its user namespace, and fork there, instead of from a
    /// thread of ours before the clone. Joining them takes CAP_SYS_ADMIN over their user namespace, which a caller
    /// other than root has only inside it, and no thread of a multithreaded process may enter a user namespace; and
    /// joining a pid namespace moves only the joiner's children. So the child joins, clones a child of its own into
    /// the namespace as our child (CLONE_PARENT), reports its pid and exits: <see cref="CloneChild.Pid"/> is then
    /// that process, as `nsenter` forks after its setns.
    /// </summary>
    public bool ForkAfterJoin { get; init; }

    /// <summary>
    /// A seccomp filter installed right before execve, after everything else (see <see cref="ChildProgram"/>); null
    /// installs none. Compiled before the clone: the child only passes its address to seccomp(2).
    /// </summary>
    public SeccompFilter? Seccomp { get; init; }

    /// <summary>The user to become after the setup steps, before execve (and before the working directory is entered, as that user); null stays root.</summary>
    public Security.ProcessUser? User { get; init; }
}
