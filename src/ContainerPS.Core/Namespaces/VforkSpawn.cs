using System.Runtime.InteropServices;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Starts a program in existing namespaces without copying the calling process: the steps <see cref="CloneChild"/>
/// takes in a fork-like child (enter the cgroup, join namespaces, set up descriptors, directory, terminal and
/// capabilities, execve) become a list of system calls that <see cref="SpawnTrampoline"/> runs in a vfork-like one.
/// For a command run from PowerShell (exec, nsenter, cgexec) this is the difference between copying the page tables
/// of a few hundred megabytes and copying nothing. Requests that need a handshake with the parent (new namespaces,
/// uid maps) stay with <see cref="CloneChild"/>.
/// </summary>
public static unsafe class VforkSpawn
{
    private const int StackSize = 16384; // the loop itself uses none; room for the kernel, should it need any

    private const long Write = 1, RtSigaction = 13, RtSigprocmask = 14, Ioctl = 16, Dup2 = 33, Execve = 59, Chdir = 80,
        Setsid = 112, Prctl = 157, Setns = 308;

    public static bool CanRun(CloneRequest request) =>
        request.NewNamespaces == 0 && !request.BecomeRoot && request.Setup.Count == 0 && SpawnTrampoline.Available;

    /// <summary>Starts the child and returns its pid once it has exec'd; throws with the failed step and errno if it could not.</summary>
    public static int Start(CloneRequest request)
    {
        if (!CanRun(request))
        {
            throw new ArgumentException("This request needs the fork-like clone child.", nameof(request));
        }
        var forChildren = request.Join.Where(j => j.Kind is NamespaceKind.Pid or NamespaceKind.Time).ToArray();
        return forChildren.Length == 0 ? StartHere(request) : ChildrenNamespaces.CloneFrom(forChildren, () => StartHere(request));
    }

    private static int StartHere(CloneRequest request)
    {
        using var memory = new NativeArena();
        var lifted = new List<SafeFd>();
        try
        {
            var what = new List<string>();
            var steps = Steps(request, memory, lifted, what);
            var args = memory.Alloc<CloneArgs>();
            args->Flags = CloneArgs.Vm | CloneArgs.Vfork;
            args->ExitSignal = 17; // SIGCHLD, so the caller waits for it like any child
            args->Stack = (ulong)memory.Block(StackSize);
            args->StackSize = StackSize;
            if (request.Cgroup?.UnifiedDirectory is { } unified)
            {
                args->Flags |= CloneArgs.IntoCgroup;
                args->Cgroup = (ulong)unified.Value;
            }
            var result = memory.Alloc<SpawnResult>();
            var pid = SpawnBlockingSignals(args, steps, result);
            if (pid < 0)
            {
                throw new NativeException("clone3", request.Executable, (int)-pid, "The kernel refused to start the process");
            }
            if (result->Failed != null)
            {
                Sys.Wait((int)pid, block: true);
                var failed = what[(int)(result->Failed - steps)];
                throw new NativeException(failed, failed == "execve" ? request.Executable : null, (int)-result->NegativeErrno);
            }
            return (int)pid;
        }
        finally
        {
            lifted.ForEach(fd => fd.Dispose());
        }
    }

    /// <summary>The child's system calls, in native memory; <paramref name="what"/> gets what each is called in an error.</summary>
    private static SyscallStep* Steps(CloneRequest request, NativeArena memory, List<SafeFd> lifted, List<string> what)
    {
        var steps = new List<SyscallStep>();
        void Add(string name, long number, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, bool mayFail = false)
        {
            steps.Add(new SyscallStep { Number = number, A1 = a1, A2 = a2, A3 = a3, A4 = a4, Flags = (long)(mayFail ? SyscallStepFlags.MayFail : SyscallStepFlags.None) });
            what.Add(name);
        }

        // Moving only ourselves takes no global lock (see CgroupEntry); we are one thread, so this moves us whole.
        var self = memory.String("0");
        foreach (var fd in request.Cgroup?.TaskFiles ?? [])
        {
            Add("write(cgroup tasks)", Write, fd, (long)self, 1);
        }
        // The user namespace first: joining it is what grants the rights to join the others.
        foreach (var (fd, kind) in request.Join.Where(j => j.Kind is not (NamespaceKind.Pid or NamespaceKind.Time)).OrderBy(j => j.Kind == NamespaceKind.User ? 0 : 1))
        {
            Add("setns", Setns, fd, (long)kind);
        }
        // Our handlers are the runtime's and would run in the child on our memory: back to the defaults before anything can arrive.
        var defaultAction = memory.Alloc<SigactionSpace>(); // all zero: SIG_DFL
        for (var signal = 1; signal <= 64; signal++)
        {
            Add("rt_sigaction", RtSigaction, signal, (long)defaultAction, 0, 8, mayFail: true); // SIGKILL and SIGSTOP refuse
        }
        // A source that sits on a target number would be overwritten by an earlier dup2: such sources go above first.
        var highest = request.Descriptors.Select(d => d.Target).DefaultIfEmpty(-1).Max();
        foreach (var (target, source) in request.Descriptors)
        {
            var from = source;
            if (source <= highest)
            {
                var high = Check.Result(Tmds.Linux.LibC.fcntl(source, Tmds.Linux.LibC.F_DUPFD_CLOEXEC, 64), "fcntl(F_DUPFD_CLOEXEC)");
                lifted.Add(new SafeFd(high));
                from = high;
            }
            Add("dup2", Dup2, from, target);
        }
        if (request.WorkingDirectory is { } cwd)
        {
            Add("chdir", Chdir, (long)memory.String(cwd));
        }
        if (request.ControllingTerminal)
        {
            Add("setsid", Setsid);
            Add("ioctl(TIOCSCTTY)", Ioctl, 0, 0x540E);
        }
        if (request.KeepCapabilities is { } keep)
        {
            for (var cap = 0; cap <= Security.Capabilities.LastCapability; cap++)
            {
                if ((keep & (1UL << cap)) == 0)
                {
                    Add("prctl(PR_CAPBSET_DROP)", Prctl, 24, cap); // one that will not go fails the start
                }
            }
        }
        Add("rt_sigprocmask", RtSigprocmask, 2 /* SIG_SETMASK */, (long)memory.Alloc<long>() /* empty */, 0, 8);
        Add("execve", Execve, (long)memory.String(request.Executable), (long)memory.Strings(request.Arguments), (long)memory.Strings(request.Environment));

        var table = (SyscallStep*)memory.Block(steps.Count * sizeof(SyscallStep));
        for (var i = 0; i < steps.Count; i++)
        {
            table[i] = steps[i];
        }
        return table;
    }

    /// <summary>
    /// No signal may reach the child before it has put back the default handlers, so this thread blocks them all
    /// around the clone (the child inherits the mask, and empties it just before execve).
    /// </summary>
    private static long SpawnBlockingSignals(CloneArgs* args, SyscallStep* table, SpawnResult* result)
    {
        ulong all = ulong.MaxValue, previous = 0;
        ChildCalls.Syscall(RtSigprocmask, 2 /* SIG_SETMASK */, (long)&all, (long)&previous, 8, 0, 0);
        try
        {
            return SpawnTrampoline.Spawn(args, table, result);
        }
        finally
        {
            ChildCalls.Syscall(RtSigprocmask, 2 /* SIG_SETMASK */, (long)&previous, 0, 8, 0, 0);
        }
    }

    /// <summary>The kernel's struct sigaction (handler, flags, restorer, mask): all zero is SIG_DFL.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SigactionSpace
    {
        public long Handler, Flags, Restorer, Mask;
    }
}
