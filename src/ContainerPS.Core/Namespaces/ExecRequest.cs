using ContainerPS.Core.Cgroups;

namespace ContainerPS.Core.Namespaces;

/// <summary>A command to run inside existing namespaces (nsenter, docker exec, cgexec).</summary>
public sealed class ExecRequest
{
    /// <summary>The namespaces to join, each by a path to open (/proc/PID/ns/KIND or a persistent bind mount).</summary>
    public IReadOnlyList<(NamespaceKind Kind, string Path)> Namespaces { get; init; } = [];

    /// <summary>The program, already resolved to a path as the joined mount namespace sees it.</summary>
    public required string Executable { get; init; }
    public required IReadOnlyList<string> Arguments { get; init; }
    public required IReadOnlyList<string> Environment { get; init; }
    public string? WorkingDirectory { get; init; }

    /// <summary>A group to move the process into before it runs.</summary>
    public Cgroup? Cgroup { get; init; }

    public ulong? KeepCapabilities { get; init; }

    /// <summary>Start it with no_new_privs set, as a container's processes are (<see cref="CloneRequest.NoNewPrivileges"/>).</summary>
    public bool NoNewPrivileges { get; init; }

    /// <summary>The user it runs as (<see cref="CloneRequest.User"/>); null is root.</summary>
    public Security.ProcessUser? User { get; init; }

    /// <summary>
    /// The root whose /dev/ptmx a terminal comes from (a container's /proc/PID/root, so the pty is of its own devpts);
    /// null is the host's.
    /// </summary>
    public string? TerminalRoot { get; init; }

    /// <summary>The seccomp filter it runs under (<see cref="CloneRequest.Seccomp"/>): the container's own, as runc gives an exec.</summary>
    public Security.Seccomp.SeccompFilter? Seccomp { get; init; }

    /// <summary>Descriptors of this process it gets at the same numbers; every other one above stdio is closed.</summary>
    public IReadOnlyList<int> PreserveFds { get; init; } = [];
}

/// <summary>Where a started command's stdio goes.</summary>
public enum ExecStdio
{
    /// <summary>stdout and stderr to pipes the caller reads; stdin from /dev/null.</summary>
    Pipes,

    /// <summary>A new pseudo-terminal for all three, as the controlling terminal of a new session.</summary>
    Terminal,

    /// <summary>All to /dev/null; the process runs on its own.</summary>
    Detached,

    /// <summary>
    /// Ours, as they are: an OCI runtime's exec gives the command the stdio its engine gave the runtime. Nobody here
    /// reaps it unless the caller waits: when the runtime exits, the engine (a subreaper) inherits it.
    /// </summary>
    Inherited,
}
