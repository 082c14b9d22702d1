using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Starts a process in new (or joined) namespaces with clone3, from a multithreaded .NET process, fork-like: the
/// child has a copy of our memory, so new namespaces and a handshake are possible (what <see cref="VforkSpawn"/>
/// cannot do). Its life until execve is a <see cref="ChildProgram"/> that <see cref="SpawnTrampoline"/> runs.
/// <para>
/// Why clone and not unshare: the kernel refuses unshare(CLONE_NEWUSER) and setns into mnt/user namespaces from a
/// multithreaded process, and the runtime always has several threads. The clone child has one thread.
/// </para>
/// <para>
/// Handshake: the child is born into the cgroup2 group (CLONE_INTO_CGROUP) and blocks on a sync pipe while the
/// parent writes uid/gid maps (<see cref="Release"/>); then it runs its program. A failed step comes back on a report
/// pipe as (step, errno); a <see cref="SetupStep.Ready"/> step sends a ready mark there; a successful execve closes
/// the pipe, so end-of-file without a mark means it exec'd. With <see cref="CloneRequest.ForkAfterJoin"/> the child's
/// fork row sends (row, pid of the process it made) and the child exits 0; from then on that process is the one
/// followed.
/// </para>
/// </summary>
public sealed unsafe class CloneChild : IDisposable
{
    private readonly IReadOnlyList<string> _names;
    private readonly nint _table;
    private readonly bool _expectsReady;
    private readonly int? _forkRow;
    private SafeFd? _sync;
    private SafeFd? _reports;

    private CloneChild(int pid, SafeFd sync, SafeFd reports, CloneRequest request, IReadOnlyList<string> names, nint table, int? forkRow)
    {
        _forkRow = forkRow;
        Pid = pid;
        _sync = sync;
        _reports = reports;
        Executable = request.Executable;
        _names = names;
        _table = table;
        _expectsReady = request.Setup.Contains(SetupStep.Ready);
    }

    /// <summary>The child; with <see cref="CloneRequest.ForkAfterJoin"/>, once <see cref="Release"/> has heard from it, the process it forked.</summary>
    public int Pid { get; private set; }
    public string Executable { get; }

    /// <summary>Clones the child; it waits for <see cref="Release"/> before doing anything.</summary>
    public static CloneChild Start(CloneRequest request)
    {
        if (!SpawnTrampoline.Available)
        {
            throw new PlatformNotSupportedException($"Starting a process in namespaces needs x86-64 or arm64 (this is {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}) and a page of executable memory, which the host may refuse.");
        }
        return ChildrenNamespaces.Around(request, () => StartHere(request));
    }

    private static CloneChild StartHere(CloneRequest request)
    {
        var (syncRead, syncWrite) = Sys.Pipe();
        var (reportRead, reportWrite) = Sys.Pipe();
        if (request.Descriptors.Any(d => d.Target == reportWrite.Value))
        {
            // The child writes its failures here until execve: not on a number a descriptor of the request takes.
            var above = Sys.Duplicate(reportWrite.Value, request.Descriptors.Max(d => d.Target) + 1);
            reportWrite.Dispose();
            reportWrite = above;
        }
        try
        {
            using var program = new ChildProgram(request, (syncWrite.Value, syncRead.Value, reportWrite.Value));
            var table = program.Layout();
            var args = program.Memory.Alloc<CloneArgs>();
            var deferred = request.DeferCgroupNamespace ? request.NewNamespaces & NamespaceKind.Cgroup : 0;
            args->Flags = (ulong)(request.NewNamespaces & ~deferred);
            args->ExitSignal = 17; // SIGCHLD, so the parent can wait for it like any child
            if (request.Cgroup?.UnifiedDirectory is { } unified)
            {
                args->Flags |= CloneArgs.IntoCgroup;
                args->Cgroup = (ulong)unified.Value;
            }
            var result = program.Memory.Alloc<SpawnResult>();
            result->ReportFd = reportWrite.Value;
            var pid = SpawnTrampoline.SpawnBlockingSignals(args, table, result);
            if (pid < 0)
            {
                throw new NativeException("clone3", request.Executable, (int)-pid,
                    "The kernel refused to create the namespaces " + request.NewNamespaces);
            }
            // The child has its own copy of the program: ours goes with `program`; only the table's address stays, to name a failed step.
            return new CloneChild((int)pid, syncWrite, reportRead, request, program.Names.ToArray(), (nint)table, program.ForkRow);
        }
        catch
        {
            syncWrite.Dispose();
            reportRead.Dispose();
            throw;
        }
        finally
        {
            syncRead.Dispose();
            reportWrite.Dispose();
        }
    }

    /// <summary>Ends a child that will not be released (a later step of its caller failed): SIGKILL, then reaped.</summary>
    public void Kill()
    {
        Sys.TryKill(Pid, 9);
        Sys.Wait(Pid, block: true);
    }

    /// <summary>
    /// Lets the child go on (after any uid/gid maps are in place) and waits until it has exec'd, or reached a
    /// <see cref="SetupStep.Ready"/> step. Throws with the step and errno if it could not; the child has then exited
    /// and must still be reaped.
    /// </summary>
    public void Release()
    {
        var sync = _sync ?? throw new InvalidOperationException("The clone child was already released.");
        Sys.Write(sync, "1"u8);
        sync.Dispose();
        _sync = null;

        // With a fork row, the process it makes may report a failure before the pid record from the one that forked
        // it arrives (two writers on one pipe): such a failure waits for the pid, so that Pid names the process the
        // caller must reap. A failure before the fork row comes from the child itself, which then makes no other.
        var forked = _forkRow is null;
        NativeException? pending = null;
        while (true)
        {
            var report = ReadReport(_reports!);
            if (report is null)
            {
                _reports!.Dispose();
                _reports = null;
                if (!forked)
                {
                    throw pending ?? new NativeException(_names[_forkRow!.Value], Executable, 0, "The process that was to fork the command ended before it said what it made");
                }
                if (pending is not null)
                {
                    throw pending;
                }
                if (_expectsReady)
                {
                    throw new NativeException("setup", Executable, 0, "The process ended (killed by a signal?) before it was set up");
                }
                return; // the pipe closed on execve
            }
            var (step, value) = report.Value;
            if (step == SpawnResult.ReadyMark && pending is null)
            {
                return; // set up, and waiting to go on by itself; later failures come on LateReports
            }
            var row = (int)((step - _table) / sizeof(SyscallStep));
            if (!forked && row == _forkRow && value > 0)
            {
                // The child forked the process that is in the joined pid namespace and exited: reap it, follow that one.
                Sys.Wait(Pid, block: true);
                Pid = (int)value;
                forked = true;
                if (pending is null)
                {
                    continue;
                }
            }
            else if (!forked && row > _forkRow)
            {
                pending ??= Failure(step, (int)-value);
                continue;
            }
            _reports!.Dispose();
            _reports = null;
            throw pending ?? Failure(step, (int)-value);
        }
    }

    /// <summary>After a ready mark: where a failure of the steps that follow it (the exec fifo, chdir, execve) comes.</summary>
    public SafeFd? LateReports => _reports;

    /// <summary>A report read from <see cref="LateReports"/>, as the error it stands for; null at end-of-file (exec'd).</summary>
    public NativeException? ReadLateFailure() => ReadReport(_reports!) is var (step, value) ? Failure(step, (int)-value) : null;

    public void Dispose()
    {
        _sync?.Dispose();
        _reports?.Dispose();
    }

    private NativeException Failure(long step, int errno)
    {
        var name = _names[(int)((step - _table) / sizeof(SyscallStep))];
        return errno == 0
            ? new NativeException(name, null, 0, name == ChildProgram.EndName
                ? "The step list ended without an execve"
                : "The parent went away before it released the process")
            : new NativeException(name, name == "execve" ? Executable : null, errno);
    }

    /// <summary>One (row address, value) record: value is -errno, or a clone3 row's new pid.</summary>
    private static (long Step, long Value)? ReadReport(SafeFd pipe)
    {
        Span<long> record = stackalloc long[2];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(record);
        var got = 0;
        while (got < 16)
        {
            var n = Sys.Read(pipe, bytes[got..]);
            if (n == 0)
            {
                break;
            }
            got += n;
        }
        return got < 16 ? null : (record[0], record[1]);
    }
}
