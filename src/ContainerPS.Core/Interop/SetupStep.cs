namespace ContainerPS.Core.Interop;

/// <summary>
/// A system call the clone child makes after joining its namespaces and before execve, prepared in full by the
/// parent: what runc's init does after re-executing itself, done here without a second program start. Arguments are
/// numbers, strings (passed as NUL-terminated UTF-8) or byte arrays (passed as a buffer), laid out before the clone.
/// </summary>
/// <param name="What">How an error names the step: "mount proc on /proc".</param>
public sealed record SetupStep(string What, long Number, object?[] Arguments, SyscallStepFlags Flags = SyscallStepFlags.None)
{
    /// <summary>Not a system call: the child tells the parent it is set up (CloneChild.Release returns) and goes on.</summary>
    public const long ReadyNumber = -2; // not -1, which ends a step list (SyscallStep.EndNumber)

    public static SetupStep Ready { get; } = new("ready", ReadyNumber, []);
}
