using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Processes;

/// <summary>Waits for a process to exit, from any process: its pidfd says when, its start time guards against pid reuse.</summary>
public static class ProcessExit
{
    /// <summary>True once the process (pid, started at <paramref name="startTime"/>) is gone; false if the timeout or the cancel came first.</summary>
    public static bool Wait(int pid, ulong startTime, TimeSpan? timeout = null, CancellationToken cancel = default)
    {
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        using var pidfd = Sys.TryOpenPidfd(pid);
        while (pidfd is not null && ProcStat.IsAlive(pid, startTime))
        {
            var left = deadline - DateTime.UtcNow;
            if (cancel.IsCancellationRequested || left <= TimeSpan.Zero)
            {
                return false;
            }
            // Slices, so a cancel is seen within 100 ms.
            Sys.PollReadable(pidfd, (int)Math.Min(left.TotalMilliseconds, 100));
        }
        return true;
    }
}
