namespace ContainerPS.Core.Security.Seccomp;

/// <summary>
/// A seccomp profile as the OCI runtime spec (linux.seccomp) and Docker's --security-opt seccomp=FILE write it: a
/// default action for every system call no rule names, and rules in order. Data the user can read and replace;
/// <see cref="SeccompCompiler"/> turns it into the BPF program the kernel runs.
/// </summary>
public sealed record SeccompProfile
{
    public required SeccompAction DefaultAction { get; init; }

    /// <summary>The errno <see cref="SeccompAction.Errno"/> returns when the default action is it; EPERM when not given.</summary>
    public uint? DefaultErrnoRet { get; init; }

    /// <summary>Architectures named (SCMP_ARCH_X86_64, ...): OCI's "architectures" or Docker's "archMap" flattened.</summary>
    public IReadOnlyList<string> Architectures { get; init; } = [];

    public IReadOnlyList<SeccompRule> Syscalls { get; init; } = [];
}

/// <summary>One entry of "syscalls": the action for these names when every argument condition holds.</summary>
public sealed record SeccompRule
{
    public required IReadOnlyList<string> Names { get; init; }
    public required SeccompAction Action { get; init; }

    /// <summary>The errno of an <see cref="SeccompAction.Errno"/> action; EPERM when not given.</summary>
    public uint? ErrnoRet { get; init; }

    /// <summary>Conditions on the arguments, all of which must hold.</summary>
    public IReadOnlyList<SeccompArgument> Args { get; init; } = [];

    /// <summary>The rule counts only where all of these hold (Docker's profile format).</summary>
    public SeccompCondition Includes { get; init; } = SeccompCondition.None;

    /// <summary>The rule is left out where any of these holds.</summary>
    public SeccompCondition Excludes { get; init; } = SeccompCondition.None;
}

/// <summary>A comparison of argument <see cref="Index"/> (0-5) with <see cref="Value"/> (and <see cref="ValueTwo"/> for a masked compare).</summary>
public sealed record SeccompArgument(int Index, ulong Value, ulong ValueTwo, SeccompOperator Op);

/// <summary>Docker's includes/excludes: capabilities the container holds, architectures (Go's or libseccomp's names), a lowest kernel.</summary>
public sealed record SeccompCondition
{
    public static SeccompCondition None { get; } = new();

    public IReadOnlyList<string> Caps { get; init; } = [];
    public IReadOnlyList<string> Arches { get; init; } = [];

    /// <summary>"4.8": the rule holds on this kernel release or later.</summary>
    public string? MinKernel { get; init; }
}

/// <summary>What the kernel does with a call, in the order of SECCOMP_RET_* precedence.</summary>
public enum SeccompAction
{
    KillProcess,
    KillThread,
    Trap,
    Errno,
    Trace,
    Log,
    Allow,
}

/// <summary>libseccomp's comparisons, unsigned and on the full 64 bits.</summary>
public enum SeccompOperator
{
    NotEqual,
    LessThan,
    LessOrEqual,
    Equal,
    GreaterOrEqual,
    GreaterThan,
    MaskedEqual,
}
