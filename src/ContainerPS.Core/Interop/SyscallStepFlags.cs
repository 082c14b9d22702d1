namespace ContainerPS.Core.Interop;

/// <summary>How the trampoline takes a step's result.</summary>
[Flags]
public enum SyscallStepFlags
{
    None = 0,

    /// <summary>Any error is ignored (a signal that cannot be reset, a capability past the kernel's last).</summary>
    MayFail = 1,

    /// <summary>ENOENT is ignored (a path to mask that this kernel does not have).</summary>
    MayBeMissing = 2,

    /// <summary>The first argument is the previous step's result (the descriptor an open or socket returned).</summary>
    OnPreviousResult = 4,

    /// <summary>A result of 0 is a failure too: a read that must get data, not the end of file of a dead parent.</summary>
    MustReturnData = 8,

    /// <summary>
    /// A clone3 row: its parent writes (row, new pid) to the report pipe and exits 0, while the new child goes on with
    /// the list: how a child gets into a pid namespace it may join only once it is in that namespace's user namespace
    /// (CloneRequest.ForkAfterJoin).
    /// </summary>
    ParentReports = 16,
}
