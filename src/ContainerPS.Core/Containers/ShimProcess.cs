using ContainerPS.Core.Cgroups;
using ContainerPS.Core.ContainerNetworks;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Processes;
using ContainerPS.Core.Rootfs;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Containers;

/// <summary>
/// `containerps-runtime shim`: the per-container monitor. It detaches from the PowerShell session (setsid,
/// subreaper), clones the container's process into the new namespaces and cgroup, where it sets the container up
/// (<see cref="ContainerSetup"/>) and waits on the exec fifo; it tells the cmdlet the outcome on stdout ("created
/// PID" or "error REASON MESSAGE"), then holds the container's stdout/stderr (written to the log), reaps it and
/// records how it ended. It exits when the container has.
/// </summary>
public static class ShimProcess
{
    private const int PR_SET_CHILD_SUBREAPER = 36;

    /// <summary>
    /// A shim started ahead of its container (<see cref="SpareShim"/>): it warms what every shim runs first, then
    /// waits for its state directory on stdin. EOF (the session ended, or did not need it) ends it quietly.
    /// </summary>
    public static int RunSpare()
    {
        StateFileJson.ReadSpec(WarmUpSpec);
        StateFileJson.Write(new ContainerStateFile());
        using var stdin = Sys.Duplicate(0);
        var line = new List<byte>();
        Span<byte> one = stackalloc byte[1];
        while (true)
        {
            if (Sys.Read(stdin, one) != 1)
            {
                return 0;
            }
            if (one[0] == (byte)'\n')
            {
                break;
            }
            line.Add(one[0]);
        }
        return Run(System.Text.Encoding.UTF8.GetString(line.ToArray()));
    }

    /// <summary>A spec with every kind of member, so the spare has run the reader's code before it counts.</summary>
    private static readonly byte[] WarmUpSpec = """
        { "Id": "0", "Name": "warm-up", "RootFs": "/", "Command": ["true"], "Environment": [], "WorkingDirectory": "/",
          "Hostname": "h", "Namespaces": "Mnt, Pid", "JoinNamespaces": [], "Mounts": [{ "Source": "/", "Destination": "/", "ReadOnly": true }],
          "EtcFiles": [], "ReadOnlyRootFs": false, "Privileged": false, "CreatedAt": "2026-01-01T00:00:00Z" }
        """u8.ToArray();

    public static int Run(string stateDir)
    {
        var store = new ContainerStore(Path.GetDirectoryName(stateDir)!);
        var id = Path.GetFileName(stateDir);
        Sys.SetSid();
        Sys.Prctl(PR_SET_CHILD_SUBREAPER, 1);

        using var devNull = Sys.Open("/dev/null", O_RDWR);
        var (outRead, outWrite) = Sys.Pipe();
        var (errRead, errWrite) = Sys.Pipe();
        ContainerSpec spec;
        CloneChild child;
        try
        {
            spec = store.ReadSpec(id) ?? throw new ContainerPSException("ContainerSpecMissing", FailureKind.ObjectNotFound, $"No spec.json in {stateDir}.");
            child = spec.Bundle is null
                ? StartContainerProcess(store, id, stateDir, spec, devNull, outWrite, errWrite)
                : Oci.OciContainer.StartFromShim(store, id, stateDir, spec, devNull, outWrite, errWrite);
        }
        catch (Exception e)
        {
            return Refuse(e);
        }

        IDisposable? slirp = null; // until disposed, slirp4netns serves the container's network
        try
        {
            if (spec.Namespaces.HasFlag(NamespaceKind.User))
            {
                if (Rootless.Active)
                {
                    UserNamespaceMap.WriteAsOwner(child.Pid, spec.UidMap, spec.GidMap);
                }
                else if (spec.UidMap.Length > 0)
                {
                    UserNamespaceMap.Write(child.Pid, spec.UidMap, spec.GidMap);
                }
                else
                {
                    UserNamespaceMap.WriteRootMapping(child.Pid);
                }
            }
            // Returns once the child has set the container up and waits on the exec fifo: Created.
            child.Release();
            if (spec.Slirp4netns is { } published)
            {
                // Before "created": the command runs (Start) only once its network is there.
                using var shimLog = Sys.Open(Path.Combine(stateDir, "shim.log"), O_WRONLY | O_CREAT | O_APPEND, 0x180);
                slirp = SlirpNetwork.Start(child.Pid, stateDir, published.Select(PublishedPort.Parse).ToArray(), shimLog);
            }
        }
        catch (Exception e)
        {
            child.Kill();
            return Refuse(e is NativeException n ? new ContainerPSException("ContainerSetupFailed", FailureKind.InvalidOperation, $"Setting up the container failed: {n.Message}") : e);
        }

        var self = Environment.ProcessId;
        store.UpdateState(id, _ => new ContainerStateFile
        {
            Pid = child.Pid,
            PidStartTime = ProcStat.StartTime(child.Pid) ?? 0,
            ShimPid = self,
            ShimStartTime = ProcStat.StartTime(self) ?? 0,
        });
        Tell($"created {child.Pid}");
        // `ps` names the container this shim holds (a spare was started without one), `top` its name; set once the
        // cmdlet has its answer, so the few microseconds it takes are not part of New-Container.
        ProcessTitle.Set(["containerps-runtime", "shim", id, spec.Name], $"cps/{spec.Name}");
        // From here on the shim must not depend on the session that started it; what it has to say goes to shim.log.
        using (var shimLog = Sys.Open(Path.Combine(stateDir, "shim.log"), O_WRONLY | O_CREAT | O_APPEND, 0x180))
        {
            Sys.DuplicateOnto(devNull, 0);
            Sys.DuplicateOnto(devNull, 1);
            Sys.DuplicateOnto(shimLog, 2);
        }

        int status;
        using (var log = Sys.Open(store.LogPath(id), O_WRONLY | O_CREAT | O_APPEND, 0x180))
        using (var pidfd = Sys.TryOpenPidfd(child.Pid) ?? throw new ContainerPSException("ContainerProcessGone", FailureKind.InvalidOperation, "The container's process vanished."))
        using (outRead)
        using (errRead)
        {
            ResidentCode.Release(); // what remains to run is the monitor loop
            status = new ShimMonitor(outRead, errRead, log, child).Run(child.Pid, pidfd);
        }
        child.Dispose();
        slirp?.Dispose();
        if (!spec.Namespaces.HasFlag(NamespaceKind.Pid))
        {
            // Without a pid namespace the kernel does not end the rest with PID 1; the cgroup knows who they are,
            // and as subreaper we reap them.
            Cgroup.ForContainer(id, spec.CgroupPath).KillAll();
            ReapOrphans();
        }

        var (code, signal) = ExitStatus.Decode(status);
        var oomKilled = Cgroup.ForContainer(id, spec.CgroupPath).ReadOomKills() > 0;
        store.UpdateState(id, state => state with { FinishedAt = DateTime.UtcNow, ExitCode = code, ExitSignal = signal, OomKilled = oomKilled });
        return 0;
    }

    /// <summary>The container's process for New-Container: the module's own setup, the user's mounts, pipes to the shim for its output.</summary>
    private static CloneChild StartContainerProcess(ContainerStore store, string id, string stateDir, ContainerSpec spec, SafeFd devNull, SafeFd outWrite, SafeFd errWrite)
    {
        var root = Path.GetFullPath(spec.RootFs);
        var executable = ExecutableLookup.Find(root, spec.Command[0], spec.Environment, spec.WorkingDirectory);
        RequireWorkingDirectory(spec, root);
        // Opened by path now, while the state directory is in reach; the child reopens it through /proc after pivot_root.
        using var fifo = Sys.Open(store.FifoPath(id), O_PATH);
        using var slots = SetupDescriptors.Reserve();
        // A rootless container's rootfs is its user's own, root's inside already; and only root may clone a mount.
        using var idmapped = spec.UidMap.Length > 0 && !Rootless.Active ? IdmappedTree.Open(root, spec.UidMap, spec.GidMap) : null;
        var setup = ContainerSetup.Steps(spec, stateDir, slots, fifo.Value, idmapped?.Value);
        AwaitCgroupMade();
        using var cgroup = CgroupEntry.Open(Cgroup.ForContainer(id));
        var joined = spec.JoinNamespaces.Select(j => (Fd: Sys.Open(j.Path, O_RDONLY), j.Kind)).ToArray();
        var preserved = PreservedDescriptors.TakeFromParent(spec.PreserveFds);
        using (outWrite)
        using (errWrite)
        try
        {
            return CloneChild.Start(new CloneRequest
            {
                // The cgroup namespace is made once the child is in the container's group, so it is rooted there.
                NewNamespaces = spec.Namespaces,
                Cgroup = cgroup,
                Join = joined.Select(j => (j.Fd.Value, j.Kind)).ToArray(),
                Executable = executable,
                Arguments = spec.Command,
                Environment = spec.Environment,
                WorkingDirectory = spec.WorkingDirectory,
                Descriptors = [(0, devNull), (1, outWrite), (2, errWrite), .. preserved.Select(p => (p.Target, p.Copy))],
                KeepCapabilities = spec.CapabilityMask,
                // Set for -Privileged too: it keeps every capability, but no program in it should gain more by execve.
                NoNewPrivileges = true,
                Setup = setup,
                BecomeRoot = spec.Namespaces.HasFlag(NamespaceKind.User),
                User = spec.User,
                Seccomp = ContainerSeccomp.Load(spec, stateDir),
            });
        }
        finally
        {
            foreach (var (fd, _) in joined)
            {
                fd.Dispose();
            }
            foreach (var (_, copy) in preserved)
            {
                copy.Dispose();
            }
        }
    }

    private static void RequireWorkingDirectory(ContainerSpec spec, string root)
    {
        // Under a bind mount the directory is the mount source's; elsewhere the rootfs's.
        var mount = spec.Mounts.Where(m => IsUnder(spec.WorkingDirectory, m.Destination)).MaxBy(m => m.Destination.Length);
        var onHost = mount is null
            ? SecurePath.Join(root, spec.WorkingDirectory)
            : Path.Join(mount.Source, Path.GetRelativePath(mount.Destination, spec.WorkingDirectory));
        if (!Directory.Exists(onHost))
        {
            throw new ContainerPSException("WorkingDirectoryNotFound", FailureKind.ObjectNotFound,
                $"The working directory '{spec.WorkingDirectory}' does not exist inside the container's root filesystem.");
        }
    }

    private static bool IsUnder(string path, string directory) =>
        path == directory || path.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>The cmdlet makes the cgroup while we start and says "go" on stdin; EOF instead means it gave up.</summary>
    internal static void AwaitCgroupMade()
    {
        using var stdin = Sys.Duplicate(0);
        Span<byte> word = stackalloc byte[1];
        if (Sys.Read(stdin, word) != 1)
        {
            throw new ContainerPSException("ContainerCreateAborted", FailureKind.InvalidOperation, "The session creating the container gave up before its cgroup was ready.");
        }
    }

    /// <summary>Reaps the container's orphans, which came to us as subreaper, until none is left (ECHILD) or they linger.</summary>
    private static void ReapOrphans()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (Sys.Wait(-1, block: false).Pid == 0)
                {
                    Thread.Sleep(10);
                }
            }
            catch (NativeException e) when (e.Errno == (int)Errno.ECHILD)
            {
                return;
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
        Tell($"error {reason} {message.ReplaceLineEndings(" ")}");
        return 1;
    }

    /// <summary>The one line the cmdlet waits for, written straight to stdout (System.Console would cost memory for good).</summary>
    private static void Tell(string line)
    {
        try
        {
            using var stdout = Sys.Duplicate(1);
            Sys.Write(stdout, System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        }
        catch (NativeException)
        {
            // the cmdlet stopped listening (it aborted the create); nobody is left to tell
        }
    }
}
