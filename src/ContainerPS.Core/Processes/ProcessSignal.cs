using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Processes;

/// <summary>
/// Signals a process known by pid and start time through a pidfd: the pidfd is opened, the start time checked, and
/// the signal sent with pidfd_send_signal, so a pid the kernel has handed to another process since is never hit.
/// </summary>
public static class ProcessSignal
{
    /// <summary>False when the process is gone (or is another one now).</summary>
    public static bool Send(int pid, ulong startTime, int signal)
    {
        using var pidfd = Sys.TryOpenPidfd(pid);
        return pidfd is not null && ProcStat.IsAlive(pid, startTime) && Sys.TrySignal(pidfd, signal);
    }
}
