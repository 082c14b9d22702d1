using System.Runtime.InteropServices;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Starts a process in new (or joined) namespaces with clone3, from a multithreaded .NET process.
/// <para>
/// Why clone and not unshare: the kernel refuses unshare(CLONE_NEWUSER) and setns into mnt/user namespaces
/// from a multithreaded process, and the runtime always has several threads. The clone child has one thread.
/// It shares nothing with the runtime's other threads, so until execve it runs only straight-line code over
/// memory prepared before the clone, calling the kernel through one pre-bound entry point that makes no GC
/// transition: no allocation, no lazy binding, no lock another thread could have held.
/// </para>
/// <para>
/// Handshake: the child is born into the cgroup2 group (CLONE_INTO_CGROUP) and blocks on a sync pipe while the
/// parent writes uid/gid maps (<see cref="Release"/>); then it moves itself into its v1 groups, joins namespaces,
/// unshares its cgroup namespace (rooted at its new cgroup), becomes root if asked, sets up its descriptors and execs. A failure on that path is written to
/// an error pipe as (step, errno); a successful execve closes the pipe, so EOF means success.
/// </para>
/// </summary>
public sealed unsafe class CloneChild : IDisposable
{
    private SafeFd? _sync;
    private SafeFd? _errors;

    private readonly IReadOnlyList<SetupStep> _setup;

    private CloneChild(int pid, SafeFd sync, SafeFd errors, CloneRequest request)
    {
        Pid = pid;
        _sync = sync;
        _errors = errors;
        Executable = request.Executable;
        _setup = request.Setup;
    }

    public int Pid { get; }
    public string Executable { get; }

    /// <summary>Clones the child; it waits for <see cref="Release"/> before doing anything.</summary>
    public static CloneChild Start(CloneRequest request)
    {
        var forChildren = request.Join.Where(j => j.Kind is NamespaceKind.Pid or NamespaceKind.Time).ToArray();
        return forChildren.Length == 0 ? StartHere(request) : ChildrenNamespaces.CloneFrom(forChildren, () => StartHere(request));
    }

    private static CloneChild StartHere(CloneRequest request)
    {
        ChildCalls.Bind();
        var (syncRead, syncWrite) = Sys.Pipe();
        var (errorRead, errorWrite) = Sys.Pipe();
        var memory = new NativeArena();
        try
        {
            var plan = memory.Alloc<ChildPlan>();
            plan->SyncRead = syncRead.Value;
            plan->SyncWrite = syncWrite.Value;
            plan->ErrorWrite = errorWrite.Value;
            var deferred = request.DeferCgroupNamespace ? request.NewNamespaces & NamespaceKind.Cgroup : 0;
            plan->UnshareAfterSync = (int)deferred;
            var tasks = request.Cgroup?.TaskFiles ?? [];
            plan->CgroupTaskCount = tasks.Count;
            plan->CgroupTasks = memory.Ints(tasks);
            plan->BecomeRoot = request.BecomeRoot ? 1 : 0;
            // The user namespace first: joining it is what grants the rights to join the others.
            var join = request.Join.Where(j => j.Kind is not (NamespaceKind.Pid or NamespaceKind.Time))
                .OrderBy(j => j.Kind == NamespaceKind.User ? 0 : 1).ToArray();
            plan->JoinCount = join.Length;
            plan->JoinFds = memory.Ints(join.Select(j => j.Fd));
            plan->JoinTypes = memory.Ints(join.Select(j => (int)j.Kind));
            plan->KeepCapabilities = request.KeepCapabilities ?? ulong.MaxValue;
            plan->LastCapability = Security.Capabilities.LastCapability;
            plan->ControllingTerminal = request.ControllingTerminal ? 1 : 0;
            plan->DescriptorCount = request.Descriptors.Count;
            plan->Targets = memory.Ints(request.Descriptors.Select(d => d.Target));
            plan->Sources = memory.Ints(request.Descriptors.Select(d => d.Source));
            plan->Path = memory.String(request.Executable);
            plan->Cwd = request.WorkingDirectory is null ? null : memory.String(request.WorkingDirectory);
            plan->Argv = memory.Strings(request.Arguments);
            plan->Envp = memory.Strings(request.Environment);
            var late = System.Text.Encoding.UTF8.GetBytes($"containerps: {request.Executable} could not be started (exit 127)\n");
            plan->LateFailure = memory.Bytes(late);
            plan->LateFailureLength = late.Length;
            plan->SetupCount = request.Setup.Count;
            plan->Setup = (SyscallStep*)memory.Block(Math.Max(1, request.Setup.Count) * sizeof(SyscallStep));
            for (var i = 0; i < request.Setup.Count; i++)
            {
                var step = request.Setup[i];
                var a = step.Arguments.Select(memory.Argument).Concat(Enumerable.Repeat(0L, 6)).ToArray();
                plan->Setup[i] = new SyscallStep { Number = step.Number, A1 = a[0], A2 = a[1], A3 = a[2], A4 = a[3], A5 = a[4], A6 = a[5], Flags = (long)step.Flags };
            }

            var args = memory.Alloc<CloneArgs>();
            args->Flags = (ulong)(request.NewNamespaces & ~deferred);
            args->ExitSignal = 17; // SIGCHLD, so the parent can wait for it like any child
            if (request.Cgroup?.UnifiedDirectory is { } unified)
            {
                args->Flags |= CloneArgs.IntoCgroup;
                args->Cgroup = (ulong)unified.Value;
            }

            var pid = ChildCalls.Syscall(ChildCalls.Clone3, (long)args, sizeof(CloneArgs), 0, 0, 0, 0);
            if (pid == 0)
            {
                RunChild(plan); // never returns
            }
            if (pid < 0)
            {
                throw new NativeException("clone3", request.Executable, ChildCalls.Errno,
                    "The kernel refused to create the namespaces " + request.NewNamespaces);
            }
            syncRead.Dispose();
            errorWrite.Dispose();
            return new CloneChild((int)pid, syncWrite, errorRead, request);
        }
        catch
        {
            syncWrite.Dispose();
            errorRead.Dispose();
            syncRead.Dispose();
            errorWrite.Dispose();
            throw;
        }
        finally
        {
            memory.Dispose();
        }
    }

    /// <summary>
    /// Lets the child go on (after any uid/gid maps are in place) and waits until it has exec'd, or reached a
    /// <see cref="SetupStep.Ready"/> step.
    /// Throws with the step and errno if it could not; the child has then exited and must still be reaped.
    /// </summary>
    public void Release()
    {
        var sync = _sync ?? throw new InvalidOperationException("The clone child was already released.");
        Sys.Write(sync, "1"u8);
        sync.Dispose();
        _sync = null;

        Span<byte> report = stackalloc byte[8];
        var got = 0;
        while (got < report.Length)
        {
            var n = Sys.Read(_errors!, report[got..]);
            if (n == 0)
            {
                break;
            }
            got += n;
        }
        _errors!.Dispose();
        _errors = null;
        var step = got == 0 ? ChildStep.Ready : (ChildStep)BitConverter.ToInt32(report[..4]);
        var errno = BitConverter.ToInt32(report[4..]);
        if (step == ChildStep.Ready)
        {
            return; // exec'd (the pipe closed), or set up and waiting to go on by itself
        }
        if (step >= ChildStep.Setup)
        {
            throw new NativeException(_setup[step - ChildStep.Setup].What, null, errno);
        }
        throw new NativeException(StepName(step), step == ChildStep.Execve ? Executable : null, errno);
    }

    public void Dispose()
    {
        _sync?.Dispose();
        _errors?.Dispose();
    }

    private static string StepName(ChildStep step) => step switch
    {
        ChildStep.Sync => "read(sync pipe)",
        ChildStep.Cgroup => "write(cgroup tasks)",
        ChildStep.Setns => "setns",
        ChildStep.Unshare => "unshare(CLONE_NEWCGROUP)",
        ChildStep.BecomeRoot => "setresuid/setresgid(0)",
        ChildStep.Descriptors => "dup2",
        ChildStep.Chdir => "chdir",
        ChildStep.Terminal => "setsid/TIOCSCTTY",
        ChildStep.Capabilities => "prctl(PR_CAPBSET_DROP)",
        _ => "execve",
    };

    /// <summary>The child's whole life until execve. Straight-line, allocation-free, one kernel entry point.</summary>
    private static void RunChild(ChildPlan* plan)
    {
        ulong emptyMask = 0;
        ChildCalls.Syscall(ChildCalls.RtSigprocmask, 2 /* SIG_SETMASK */, (long)&emptyMask, 0, 8, 0, 0);
        ChildCalls.Syscall(ChildCalls.Close, plan->SyncWrite, 0, 0, 0, 0, 0);

        byte go = 0;
        if (ChildCalls.Syscall(ChildCalls.Read, plan->SyncRead, (long)&go, 1, 0, 0, 0) != 1)
        {
            Fail(plan, ChildStep.Sync); // the parent died before releasing us
        }
        // Moving only ourselves takes no global lock (see CgroupEntry); we are still one thread, so this moves us whole.
        var self = (byte)'0';
        for (var i = 0; i < plan->CgroupTaskCount; i++)
        {
            if (ChildCalls.Syscall(ChildCalls.Write, plan->CgroupTasks[i], (long)&self, 1, 0, 0, 0) != 1)
            {
                Fail(plan, ChildStep.Cgroup);
            }
        }
        for (var i = 0; i < plan->JoinCount; i++)
        {
            if (ChildCalls.Syscall(ChildCalls.Setns, plan->JoinFds[i], plan->JoinTypes[i], 0, 0, 0, 0) < 0)
            {
                Fail(plan, ChildStep.Setns);
            }
        }
        if (plan->UnshareAfterSync != 0 && ChildCalls.Syscall(ChildCalls.Unshare, plan->UnshareAfterSync, 0, 0, 0, 0, 0) < 0)
        {
            Fail(plan, ChildStep.Unshare);
        }
        if (plan->BecomeRoot != 0)
        {
            ChildCalls.Syscall(ChildCalls.Setgroups, 0, 0, 0, 0, 0, 0); // refused where setgroups is denied; harmless
            if (ChildCalls.Syscall(ChildCalls.Setresgid, 0, 0, 0, 0, 0, 0) < 0 ||
                ChildCalls.Syscall(ChildCalls.Setresuid, 0, 0, 0, 0, 0, 0) < 0)
            {
                Fail(plan, ChildStep.BecomeRoot);
            }
        }
        // Move every source above the target range first, so a source that sits on another's target is not clobbered.
        for (var i = 0; i < plan->DescriptorCount; i++)
        {
            var moved = ChildCalls.Syscall(ChildCalls.Fcntl, plan->Sources[i], 1030 /* F_DUPFD_CLOEXEC */, 64, 0, 0, 0);
            if (moved < 0)
            {
                Fail(plan, ChildStep.Descriptors);
            }
            plan->Sources[i] = (int)moved;
        }
        for (var i = 0; i < plan->DescriptorCount; i++)
        {
            if (ChildCalls.Syscall(ChildCalls.Dup2, plan->Sources[i], plan->Targets[i], 0, 0, 0, 0) < 0)
            {
                Fail(plan, ChildStep.Descriptors);
            }
        }
        if (plan->ControllingTerminal != 0 &&
            (ChildCalls.Syscall(ChildCalls.Setsid, 0, 0, 0, 0, 0, 0) < 0 || ChildCalls.Syscall(ChildCalls.Ioctl, 0, 0x540E /* TIOCSCTTY */, 0, 0, 0, 0) < 0))
        {
            Fail(plan, ChildStep.Terminal);
        }
        for (var cap = 0; cap <= plan->LastCapability && plan->KeepCapabilities != ulong.MaxValue; cap++)
        {
            // A capability that will not go is a failure, never a container with more than it was given.
            if ((plan->KeepCapabilities & (1UL << cap)) == 0 && ChildCalls.Syscall(ChildCalls.Prctl, 24 /* PR_CAPBSET_DROP */, cap, 0, 0, 0, 0) < 0)
            {
                Fail(plan, ChildStep.Capabilities);
            }
        }
        RunSetup(plan);
        if (plan->Cwd != null && ChildCalls.Syscall(ChildCalls.Chdir, (long)plan->Cwd, 0, 0, 0, 0, 0) < 0)
        {
            Fail(plan, ChildStep.Chdir);
        }
        // The program starts with default dispositions, as after a login: our runtime ignores SIGPIPE, for one.
        var defaultAction = stackalloc long[4]; // the kernel's struct sigaction; all zero is SIG_DFL
        defaultAction[0] = defaultAction[1] = defaultAction[2] = defaultAction[3] = 0;
        for (var signal = 1; signal <= 64; signal++)
        {
            ChildCalls.Syscall(ChildCalls.RtSigaction, signal, (long)defaultAction, 0, 8, 0, 0); // SIGKILL and SIGSTOP refuse
        }
        ChildCalls.Syscall(ChildCalls.Execve, (long)plan->Path, (long)plan->Argv, (long)plan->Envp, 0, 0, 0);
        Fail(plan, ChildStep.Execve);
    }

    /// <summary>The prepared setup calls; a step may take the previous result (a descriptor) as its first argument.</summary>
    private static void RunSetup(ChildPlan* plan)
    {
        long previous = 0;
        var ready = stackalloc int[2] { (int)ChildStep.Ready, 0 };
        for (var i = 0; i < plan->SetupCount; i++)
        {
            var step = plan->Setup + i;
            var flags = (SyscallStepFlags)step->Flags;
            if (step->Number == SetupStep.ReadyNumber)
            {
                // The parent stops listening here; a later failure can only end us (exit 127, as a shell's would).
                ChildCalls.Syscall(ChildCalls.Write, plan->ErrorWrite, (long)ready, 8, 0, 0, 0);
                ChildCalls.Syscall(ChildCalls.Close, plan->ErrorWrite, 0, 0, 0, 0, 0);
                plan->ErrorWrite = -1;
                continue;
            }
            var a1 = flags.HasFlag(SyscallStepFlags.OnPreviousResult) ? previous : step->A1;
            var result = ChildCalls.Syscall(step->Number, a1, step->A2, step->A3, step->A4, step->A5, step->A6);
            if (result < 0 && !flags.HasFlag(SyscallStepFlags.MayFail) &&
                !(flags.HasFlag(SyscallStepFlags.MayBeMissing) && ChildCalls.Errno == 2 /* ENOENT */))
            {
                Fail(plan, ChildStep.Setup + i);
            }
            previous = result;
        }
    }

    private static void Fail(ChildPlan* plan, ChildStep step)
    {
        var report = stackalloc int[2];
        report[0] = (int)step;
        report[1] = ChildCalls.Errno;
        if (plan->ErrorWrite >= 0)
        {
            ChildCalls.Syscall(ChildCalls.Write, plan->ErrorWrite, (long)report, 8, 0, 0, 0);
        }
        else
        {
            // Past "ready" nobody listens on the pipe: say it where the command's own errors go (the container's log).
            ChildCalls.Syscall(ChildCalls.Write, 2, (long)plan->LateFailure, plan->LateFailureLength, 0, 0, 0);
        }
        ChildCalls.Syscall(ChildCalls.ExitGroup, 127, 0, 0, 0, 0, 0);
    }

    /// <summary>What the error pipe reports; Setup + i is setup step i.</summary>
    private enum ChildStep { Ready = 0, Sync = 1, Cgroup, Setns, Unshare, BecomeRoot, Descriptors, Chdir, Terminal, Capabilities, Execve, Setup = 100 }

    [StructLayout(LayoutKind.Sequential)]
    private struct ChildPlan
    {
        public int SyncRead, SyncWrite, ErrorWrite, UnshareAfterSync, BecomeRoot, JoinCount, DescriptorCount, ControllingTerminal, CgroupTaskCount;
        public ulong KeepCapabilities;
        public int LastCapability;
        public int* JoinFds, JoinTypes, Targets, Sources, CgroupTasks;
        public int SetupCount, LateFailureLength;
        public byte* LateFailure;
        public SyscallStep* Setup;
        public byte* Path, Cwd;
        public byte** Argv, Envp;
    }
}
