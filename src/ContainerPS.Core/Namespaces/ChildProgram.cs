using ContainerPS.Core.Interop;
using static ContainerPS.Core.Interop.SyscallNumber;
using ContainerPS.Core.Security;
using ContainerPS.Core.Security.Seccomp;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// A clone child's life until execve as the list of system calls <see cref="SpawnTrampoline"/> makes: enter the
/// cgroup, join namespaces (user first), become root, default signal handlers, descriptors, terminal, capability
/// drops, the request's setup steps, the user, no_new_privs, every other descriptor closed, working directory, seccomp filter, execve. <see cref="CloneChild"/> puts a handshake in front
/// (wait for the parent's uid maps) and reports through a pipe; <see cref="VforkSpawn"/> runs it as is.
/// </summary>
internal sealed unsafe class ChildProgram : IDisposable
{
    private readonly List<SyscallStep> _steps = [];
    private readonly List<string> _names = [];
    private readonly List<SafeFd> _lifted = [];

    public NativeArena Memory { get; } = new();

    /// <summary>What each step is called in an error, by index.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The index of the clone3 row whose parent reports the pid it made (<see cref="SyscallStepFlags.ParentReports"/>), if there is one.</summary>
    public int? ForkRow { get; private set; }

    /// <param name="handshake">
    /// For a fork-like child: its copy of the sync pipe's write end to close, the read end to wait on, and the report
    /// pipe to announce <see cref="SetupStep.Ready"/> on. Null for a vfork-like child, which the parent waits out.
    /// </param>
    public ChildProgram(CloneRequest request, (int SyncWrite, int SyncRead, int Report)? handshake)
    {
        // Our handlers are the runtime's; the program starts with the defaults (and SIGPIPE no longer ignored).
        var defaultAction = Memory.Alloc<long>(4); // the kernel's struct sigaction, all zero: SIG_DFL
        for (var signal = 1; signal <= 64; signal++)
        {
            Add("rt_sigaction", RtSigaction, [signal, (long)defaultAction, 0, 8], SyscallStepFlags.MayFail); // SIGKILL and SIGSTOP refuse
        }
        Add("rt_sigprocmask", RtSigprocmask, [2 /* SIG_SETMASK */, (long)Memory.Alloc<long>() /* empty */, 0, 8]);
        if (handshake is { } h)
        {
            // Our copy of the write end closed first, so a parent that dies makes the read end-of-file, not a hang.
            Add("close(sync pipe)", Close, [h.SyncWrite]);
            Add("read(sync pipe)", Read, [h.SyncRead, (long)Memory.Alloc<long>(), 1], SyscallStepFlags.MustReturnData);
        }
        // Moving only ourselves takes no global lock (see CgroupEntry); we are one thread, so this moves us whole.
        var self = (long)Memory.String("0");
        foreach (var fd in request.Cgroup?.TaskFiles ?? [])
        {
            Add("write(cgroup tasks)", Write, [fd.Value, self, 1]);
        }
        // The user namespace first: joining it is what grants the rights to join the others.
        foreach (var (fd, kind) in request.Join.Where(j => !ChildrenNamespaces.IsForChildren(j.Kind)).OrderBy(j => j.Kind == NamespaceKind.User ? 0 : 1))
        {
            Add("setns", Setns, [fd, (long)kind]);
        }
        if (request.ForkAfterJoin)
        {
            ForkIntoJoined(request.Join.Where(j => ChildrenNamespaces.IsForChildren(j.Kind)));
        }
        var deferred = request.DeferCgroupNamespace ? request.NewNamespaces & NamespaceKind.Cgroup : 0;
        if (deferred != 0)
        {
            Add("unshare(CLONE_NEWCGROUP)", Unshare, [(long)deferred]);
        }
        if (request.BecomeRoot)
        {
            Add("setgroups", Setgroups, [0, 0], SyscallStepFlags.MayFail); // refused where setgroups is denied; harmless
            Add("setresgid(0)", Setresgid, [0, 0, 0]);
            Add("setresuid(0)", Setresuid, [0, 0, 0]);
        }
        // A source that sits on a target number would be overwritten by an earlier dup3: such sources go above first
        // (which also keeps a source from being its own target, where dup3 fails with EINVAL and dup2 did nothing).
        var highest = request.Descriptors.Select(d => d.Target).DefaultIfEmpty(-1).Max();
        var placed = request.Descriptors.Select(d => (d.Target, From: d.Source.Value <= highest ? Lift(d.Source.Value, highest + 1) : d.Source.Value)).ToArray();
        // Stdio now, for the terminal and the steps' errors; a descriptor above it only just before close_range, so
        // that no descriptor the steps use (the exec fifo, a namespace, the setup's own) can sit on its number.
        foreach (var (target, from) in placed.Where(p => p.Target <= 2))
        {
            Add("dup3", Dup3, [from, target, 0]);
        }
        if (request.ControllingTerminal)
        {
            Add("setsid", Setsid, []);
            Add("ioctl(TIOCSCTTY)", Ioctl, [0, 0x540E]);
        }
        if (request.KeepCapabilities is { } keep)
        {
            for (var cap = 0; cap <= Capabilities.LastCapability; cap++)
            {
                if ((keep & (1UL << cap)) == 0)
                {
                    Add("prctl(PR_CAPBSET_DROP)", Prctl, [24, cap]); // one that will not go fails the start
                }
            }
        }
        foreach (var step in request.Setup)
        {
            if (step.Number == SetupStep.ReadyNumber)
            {
                var ready = Memory.Alloc<SpawnResult>();
                ready->Failed = (SyscallStep*)SpawnResult.ReadyMark;
                Add("ready", Write, [handshake?.Report ?? throw new ArgumentException("A ready step needs a parent listening."), (long)ready, 16]);
                continue;
            }
            Add(step.What, step.Number, step.Arguments.Select(Memory.Argument).ToArray(), step.Flags);
        }
        // Without no_new_privs, installing a filter takes CAP_SYS_ADMIN, which a user other than root no longer has once
        // it is that user: then the filter goes first, while we are still root (as runc does), and guards the rest.
        var filterFirst = request.Seccomp is not null && !request.NoNewPrivileges && request.User is { Uid: not 0 };
        if (filterFirst)
        {
            InstallFilter(request.Seccomp!);
        }
        if (request.User is { } user)
        {
            BecomeUser(user);
        }
        if (request.NoNewPrivileges)
        {
            Add("prctl(PR_SET_NO_NEW_PRIVS)", Prctl, [38, 1]);
        }
        foreach (var (target, from) in placed.Where(p => p.Target > 2))
        {
            Add($"dup3 (descriptor {target})", Dup3, [from, target, 0]);
        }
        CloseAllBut([.. placed.Select(p => p.Target).Where(t => t > 2), .. handshake is { } reporting ? [reporting.Report] : Array.Empty<int>()]);
        if (request.WorkingDirectory is { } cwd)
        {
            EnterWorkingDirectory(cwd);
        }
        if (request.Seccomp is { } filter && !filterFirst)
        {
            InstallFilter(filter);
        }
        Add("execve", Execve, [(long)Memory.String(request.Executable), (long)Memory.Strings(request.Arguments), (long)Memory.Strings(request.Environment)]);
        _steps.Add(SyscallStep.End);
        _names.Add(EndName);
    }

    /// <summary>
    /// Joins pid and time namespaces (now that the user namespace is joined, they may be), then clones the process
    /// that is in them: fork-like, as the caller's child (CLONE_PARENT), so the caller waits for it as for any child
    /// of its own. This process reports that child's pid and exits (<see cref="SyscallStepFlags.ParentReports"/>);
    /// the child goes on with the rest of the list.
    /// </summary>
    private void ForkIntoJoined(IEnumerable<(int Fd, NamespaceKind Kind)> forChildren)
    {
        foreach (var (fd, kind) in forChildren)
        {
            Add("setns", Setns, [fd, (long)kind]);
        }
        var args = Memory.Alloc<CloneArgs>();
        args->Flags = CloneArgs.Parent; // exit_signal stays 0, as clone3 wants it then: the child inherits ours, SIGCHLD
        Add("clone3 (into the joined pid namespace)", Clone3, [(long)args, sizeof(CloneArgs)], SyscallStepFlags.ParentReports);
    }

    /// <summary>
    /// Groups, then group, then user: once the uid is not 0 the others may no longer be changed. PR_SET_KEEPCAPS is
    /// not set, so leaving uid 0 empties the permitted and effective sets, as docker's non-root users have it.
    /// </summary>
    private void BecomeUser(ProcessUser user)
    {
        var groups = Memory.Alloc<uint>(Math.Max(1, user.Groups.Length));
        for (var i = 0; i < user.Groups.Length; i++)
        {
            groups[i] = user.Groups[i];
        }
        Add($"setgroups({string.Join(',', user.Groups)})", Setgroups, [user.Groups.Length, (long)groups]);
        Add($"setresgid({user.Gid})", Setresgid, [user.Gid, user.Gid, user.Gid]);
        Add($"setresuid({user.Uid})", Setresuid, [user.Uid, user.Uid, user.Uid]);
    }

    /// <summary>A copy of <paramref name="source"/> at <paramref name="lowest"/> or above, held until the child is cloned.</summary>
    private int Lift(int source, int lowest)
    {
        var high = Sys.Duplicate(source, lowest);
        _lifted.Add(high);
        return high.Value;
    }

    /// <summary>
    /// Closes every descriptor above stdio but <paramref name="kept"/>, whatever its close-on-exec flag: whoever opened
    /// it in our process (or the process that started ours: a shell's `exec 8&lt;dir`) may have left the flag off, and
    /// one such descriptor to a host directory is a way out of the container's root (runc's CVE-2024-21626). Done
    /// before the working directory is entered, so that cannot be reached through one either. Kept are the request's
    /// own descriptors and the report pipe (close-on-exec), which carries a failed chdir or execve back.
    /// </summary>
    private void CloseAllBut(int[] kept)
    {
        const long Last = uint.MaxValue; // close_range takes unsigned ints: ~0U is "to the end"
        var first = 3;
        foreach (var fd in kept.Where(k => k >= 3).Distinct().Order())
        {
            if (fd > first)
            {
                Add($"close_range({first}-{fd - 1})", CloseRange, [first, fd - 1, 0]);
            }
            first = fd + 1;
        }
        Add($"close_range({first}-)", CloseRange, [first, Last, 0]);
    }

    /// <summary>
    /// Enters the working directory by descriptor: the kernel resolves it inside our root (".." and absolute symlinks
    /// stop there, RESOLVE_IN_ROOT) and refuses magic links (RESOLVE_NO_MAGICLINKS): /proc/PID/fd/N, cwd and root
    /// name directories wherever they are, outside the container's root too. Both descriptors are close-on-exec.
    /// </summary>
    private void EnterWorkingDirectory(string path)
    {
        var directory = OpenFlags.PathOnly | OpenFlags.Directory | OpenFlags.CloseOnExec;
        var how = OpenFlags.InRoot(directory);
        Add("open / (the root the working directory is resolved in)", Openat, [Tmds.Linux.LibC.AT_FDCWD, (long)Memory.String("/"), directory]);
        Add($"openat2 {path} (the working directory, inside the root, no magic links)", Openat2, [0, (long)Memory.String(path), Memory.Argument(how), how.Length],
            SyscallStepFlags.OnPreviousResult);
        Add("fchdir " + path, Fchdir, [0], SyscallStepFlags.OnPreviousResult);
    }

    /// <summary>
    /// Installs the seccomp filter, the last step before execve: every step before it is a call the profile might
    /// refuse, and only execve (and, should it fail, the report's write and exit_group) run under it. No
    /// CAP_SYS_ADMIN is needed once no_new_privs is set; without it, only a child that still has the capability may.
    /// </summary>
    private void InstallFilter(SeccompFilter filter)
    {
        const long SetModeFilter = 1;
        var bytes = filter.ToBytes();
        var instructions = (byte*)Memory.Block(bytes.Length);
        bytes.AsSpan().CopyTo(new Span<byte>(instructions, bytes.Length));
        var program = Memory.Alloc<long>(2); // struct sock_fprog: unsigned short len (padded to 8), the instructions' address
        program[0] = filter.Instructions.Length;
        program[1] = (long)instructions;
        Add($"seccomp(SECCOMP_SET_MODE_FILTER, {filter.Instructions.Length} instructions)", Seccomp, [SetModeFilter, 0, (long)program]);
    }

    /// <summary>What the end row is called when the child reaches it: every list ends in execve, which does not return.</summary>
    public const string EndName = "end of the step list";

    /// <summary>The steps in native memory, for the trampoline.</summary>
    public SyscallStep* Layout()
    {
        var table = (SyscallStep*)Memory.Block(_steps.Count * sizeof(SyscallStep));
        for (var i = 0; i < _steps.Count; i++)
        {
            table[i] = _steps[i];
        }
        return table;
    }

    public void Dispose()
    {
        _lifted.ForEach(fd => fd.Dispose());
        Memory.Dispose();
    }

    private void Add(string name, long number, long[] a, SyscallStepFlags flags = SyscallStepFlags.None)
    {
        if (number == SyscallStep.EndNumber)
        {
            throw new ArgumentException($"The step '{name}' has the number {number}, which ends the list; steps are system call numbers (0 and up).", nameof(number));
        }
        if (flags.HasFlag(SyscallStepFlags.ParentReports))
        {
            ForkRow = _steps.Count;
        }
        long At(int i) => i < a.Length ? a[i] : 0;
        _steps.Add(new SyscallStep { Number = number, A1 = At(0), A2 = At(1), A3 = At(2), A4 = At(3), A5 = At(4), A6 = At(5), Flags = (long)flags });
        _names.Add(name);
    }
}
