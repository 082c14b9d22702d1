using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Processes;

namespace ContainerPS.Core.Containers;

/// <summary>
/// A container whose shim was killed runs on with nobody to reap it or record its end: init adopted its process, and
/// the kernel tells only a parent or a tracer how a process ended. So before signalling such an orphan, a thread of
/// ours traces it (PTRACE_SEIZE, which stops nothing); its end then reaches that thread's wait4 as it would have
/// reached the shim, and the exit code or signal is recorded in state.json the way the shim records it.
/// </summary>
public static class OrphanExit
{
    private const int SIGKILL = 9;

    /// <summary>
    /// Sends <paramref name="signal"/>, then SIGKILL once <paramref name="grace"/> is over, and records the end.
    /// False when the process could not be traced (gone already, or the kernel refuses): nothing was sent then.
    /// </summary>
    public static bool StopAndRecord(ContainerStore store, string id, ContainerStateFile state, int signal, TimeSpan grace)
    {
        int? status = null;
        // ptrace binds the tracee to one thread: that thread seizes, resumes and waits, nothing else.
        var tracer = new Thread(() => status = Trace(state, signal, grace)) { IsBackground = true, Name = "orphan tracer" };
        tracer.Start();
        tracer.Join();
        if (status is not { } ended)
        {
            return false;
        }
        var (code, exitSignal) = ExitStatus.Decode(ended);
        var oomKilled = Cgroup.ForContainer(id).ReadOomKills() > 0;
        store.UpdateState(id, s => s with { FinishedAt = DateTime.UtcNow, ExitCode = code, ExitSignal = exitSignal, OomKilled = oomKilled });
        return true;
    }

    private static int? Trace(ContainerStateFile state, int signal, TimeSpan grace)
    {
        if (!ProcStat.IsAlive(state.Pid, state.PidStartTime) || !Sys.TrySeize(state.Pid))
        {
            return null;
        }
        Sys.TryKill(state.Pid, signal);
        using var deadline = new Timer(_ => Sys.TryKill(state.Pid, SIGKILL), null, grace, Timeout.InfiniteTimeSpan);
        while (true)
        {
            var (_, status) = Sys.Wait(state.Pid, block: true);
            if ((status & 0xff) != 0x7f)
            {
                return status; // exited or killed
            }
            // A stop: a signal on its way in (deliver it), or a group stop or other event (resume without one).
            var stopSignal = (status >> 8) & 0xff;
            Sys.ContinueTracee(state.Pid, status >> 16 == 0 ? stopSignal : 0);
        }
    }
}
