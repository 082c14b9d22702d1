using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Starts a program in existing namespaces without copying the calling process, the way posix_spawn does: clone3
/// with CLONE_VM and CLONE_VFORK, a stack of its own, and the child's <see cref="ChildProgram"/> run by
/// <see cref="SpawnTrampoline"/> while we sleep in the kernel until it has exec'd or exited. For a command run from
/// PowerShell (exec, nsenter, cgexec) this is the difference between copying the page tables of a few hundred
/// megabytes and copying nothing. Requests that need a handshake with the parent (new namespaces, uid maps, setup
/// steps) go to <see cref="CloneChild"/>.
/// </summary>
public static unsafe class VforkSpawn
{
    private const int StackSize = 16384; // the loop itself uses none; room for the kernel, should it need any

    public static bool CanRun(CloneRequest request) =>
        request.NewNamespaces == 0 && !request.BecomeRoot && !request.ForkAfterJoin && request.Setup.Count == 0 && SpawnTrampoline.Available;

    /// <summary>Starts the child and returns its pid once it has exec'd; throws with the failed step and errno if it could not.</summary>
    public static int Start(CloneRequest request)
    {
        if (!CanRun(request))
        {
            throw new ArgumentException("This request needs the fork-like clone child.", nameof(request));
        }
        return ChildrenNamespaces.Around(request, () => StartHere(request));
    }

    private static int StartHere(CloneRequest request)
    {
        using var program = new ChildProgram(request, handshake: null);
        var table = program.Layout();
        var args = program.Memory.Alloc<CloneArgs>();
        args->Flags = CloneArgs.Vm | CloneArgs.Vfork;
        args->ExitSignal = 17; // SIGCHLD, so the caller waits for it like any child
        args->Stack = (ulong)program.Memory.Block(StackSize);
        args->StackSize = StackSize;
        if (request.Cgroup?.UnifiedDirectory is { } unified)
        {
            args->Flags |= CloneArgs.IntoCgroup;
            args->Cgroup = (ulong)unified.Value;
        }
        var result = program.Memory.Alloc<SpawnResult>();
        result->ReportFd = -1; // our memory is the child's: the result block is read directly
        var pid = SpawnTrampoline.SpawnBlockingSignals(args, table, result);
        if (pid < 0)
        {
            throw new NativeException("clone3", request.Executable, (int)-pid, "The kernel refused to start the process");
        }
        if (result->Failed != null)
        {
            Sys.Wait((int)pid, block: true);
            var failed = program.Names[(int)(result->Failed - table)];
            throw new NativeException(failed, failed == "execve" ? request.Executable : null, (int)-result->NegativeErrno);
        }
        return (int)pid;
    }
}
