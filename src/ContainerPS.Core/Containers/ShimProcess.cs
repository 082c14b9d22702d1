using System.Text;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Processes;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Containers;

/// <summary>
/// `containerps-runtime shim`: the per-container monitor. It detaches from the PowerShell session (setsid,
/// subreaper), clones init into the new namespaces, moves it into its cgroup, relays init's verdict to the
/// cmdlet on stdout ("created PID" or "error REASON MESSAGE"), then holds the container's stdout/stderr
/// (written to the log), reaps it and records how it ended. It exits when the container has.
/// </summary>
public static class ShimProcess
{
    private const int PR_SET_CHILD_SUBREAPER = 36;

    public static int Run(string stateDir, string runtimePath)
    {
        var store = new ContainerStore(Path.GetDirectoryName(stateDir)!);
        var id = Path.GetFileName(stateDir);
        Sys.SetSid();
        Sys.Prctl(PR_SET_CHILD_SUBREAPER, 1);

        using var devNull = Sys.Open("/dev/null", O_RDWR);
        var (outRead, outWrite) = Sys.Pipe();
        var (errRead, errWrite) = Sys.Pipe();
        var (reportRead, reportWrite) = Sys.Pipe();
        var (joinedRead, joinedWrite) = Sys.Pipe();
        ContainerSpec spec;
        CloneChild child;
        try
        {
            spec = store.ReadSpec(id) ?? throw new ContainerPSException("ContainerSpecMissing", FailureKind.ObjectNotFound, $"No spec.json in {stateDir}.");
            var joined = spec.JoinNamespaces.Select(j => (Fd: Sys.Open(j.Path, O_RDONLY), j.Kind)).ToArray();
            using (outWrite)
            using (errWrite)
            using (reportWrite)
            using (joinedRead)
            try
            {
                child = CloneChild.Start(new CloneRequest
                {
                    // init unshares the cgroup namespace itself, once it is in the container's cgroup.
                    NewNamespaces = spec.Namespaces & ~NamespaceKind.Cgroup,
                    Join = joined.Select(j => (j.Fd.Value, j.Kind)).ToArray(),
                    Executable = runtimePath,
                    Arguments = ["containerps-runtime", "init", stateDir],
                    Environment = [],
                    Descriptors = [(0, devNull.Value), (1, outWrite.Value), (2, errWrite.Value), (InitReport.Fd, reportWrite.Value), (InitReport.CgroupJoinedFd, joinedRead.Value)],
                    BecomeRoot = spec.Namespaces.HasFlag(NamespaceKind.User),
                });
            }
            finally
            {
                foreach (var (fd, _) in joined)
                {
                    fd.Dispose();
                }
            }
        }
        catch (Exception e)
        {
            return Refuse(e);
        }

        try
        {
            if (spec.Namespaces.HasFlag(NamespaceKind.User))
            {
                UserNamespaceMap.WriteRootMapping(child.Pid);
            }
            // Released first, so init's start-up overlaps the cgroup move, which on v1 waits for an RCU grace
            // period (milliseconds); init waits for the word before it unshares its cgroup namespace or reports ready.
            child.Release();
            using (joinedWrite)
            {
                try
                {
                    Cgroup.ForContainer(id).AddProcess(child.Pid);
                    Sys.Write(joinedWrite, "1"u8);
                }
                catch (Exception e) when (e is IOException or NativeException)
                {
                    // init may have failed on its own meanwhile and exited: its report says why, better than ESRCH or EPIPE.
                    joinedWrite.Dispose();
                    InitReport.Expect(reportRead, spec.RootFs);
                    throw;
                }
            }
            using (reportRead)
            {
                InitReport.Expect(reportRead, spec.RootFs);
            }
        }
        catch (Exception e)
        {
            joinedWrite.Dispose();
            Sys.TryKill(child.Pid, 9);
            Sys.Wait(child.Pid, block: true);
            return Refuse(e);
        }

        var self = Environment.ProcessId;
        store.UpdateState(id, _ => new ContainerStateFile
        {
            Pid = child.Pid,
            PidStartTime = ProcStat.StartTime(child.Pid) ?? 0,
            ShimPid = self,
            ShimStartTime = ProcStat.StartTime(self) ?? 0,
        });
        Console.Out.Write($"created {child.Pid}\n");
        Console.Out.Flush();
        // From here on the shim must not depend on the session that started it; what it has to say goes to shim.log.
        using (var shimLog = Sys.Open(Path.Combine(stateDir, "shim.log"), O_WRONLY | O_CREAT | O_APPEND, 0x180))
        {
            dup2(devNull.Value, 0);
            dup2(devNull.Value, 1);
            dup2(shimLog.Value, 2);
        }

        var log = new LogWriter(store.LogPath(id));
        var pumps = new[] { log.Pump(outRead, "stdout"), log.Pump(errRead, "stderr") };
        var status = ReapUntilExit(child.Pid);
        if (!spec.Namespaces.HasFlag(NamespaceKind.Pid))
        {
            // Without a pid namespace the kernel does not end the rest with PID 1; the cgroup knows who they are.
            Cgroup.ForContainer(id).KillAll();
        }
        Task.WaitAll(pumps, TimeSpan.FromSeconds(5));
        log.Dispose();

        var (code, signal) = ExitStatus.Decode(status);
        var oomKilled = Cgroup.ForContainer(id).ReadStats().OomKills > 0;
        store.UpdateState(id, state => state with { FinishedAt = DateTime.UtcNow, ExitCode = code, ExitSignal = signal, OomKilled = oomKilled });
        return 0;
    }

    /// <summary>Reaps every child (as subreaper, orphans come to us too) until the container's own process has exited.</summary>
    private static int ReapUntilExit(int pid)
    {
        while (true)
        {
            var (reaped, status) = Sys.Wait(-1, block: true);
            if (reaped == pid)
            {
                return status;
            }
        }
    }

    private static int Refuse(Exception e)
    {
        var (reason, message) = e switch
        {
            ContainerPSException c => (c.Reason, c.Message),
            NativeException n => ("ContainerProcessFailed", $"Starting the container process failed: {n.Message}"),
            _ => ("ContainerShimFailed", e.Message),
        };
        Console.Out.Write($"error {reason} {message.ReplaceLineEndings(" ")}\n");
        Console.Out.Flush();
        return 1;
    }

    /// <summary>Appends the container's output to its log, one CRI line at a time, from two streams at once.</summary>
    private sealed class LogWriter(string path) : IDisposable
    {
        private readonly FileStream _file = new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        private readonly object _lock = new();

        public Task Pump(SafeFd pipe, string stream) => Task.Factory.StartNew(() =>
        {
            using var reader = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(pipe.DangerousGetHandle(), ownsHandle: false), FileAccess.Read, 1), Encoding.UTF8);
            using (pipe)
            {
                while (reader.ReadLine() is { } line)
                {
                    var bytes = Encoding.UTF8.GetBytes(ContainerLog.Format(DateTime.UtcNow, stream, line));
                    lock (_lock)
                    {
                        _file.Write(bytes);
                        _file.Flush();
                    }
                }
            }
        }, TaskCreationOptions.LongRunning);

        public void Dispose() => _file.Dispose();
    }
}
