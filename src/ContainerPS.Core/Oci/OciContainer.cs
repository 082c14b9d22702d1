using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Rootfs;
using ContainerPS.Core.Terminal;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Oci;

/// <summary>
/// What a container made from a bundle needs, whoever makes it: containerps-runtime create (the engine's shim then
/// holds it) and New-Container -Bundle (our shim holds it, logs its output and records its exit). Its record, its
/// cgroup at the config's path with the config's device rules and limits, and the clone request of its first process.
/// </summary>
public static class OciContainer
{
    /// <summary>The state directory with spec.json, a copy of config.json (for later commands' hooks), the seccomp program and the exec fifo.</summary>
    public static ContainerSpec Record(ContainerStore store, string id, string name, OciConfig config)
    {
        var spec = ToSpec(config, id, name);
        store.WriteSpec(spec);
        File.WriteAllBytes(Path.Combine(store.Dir(id), "config.json"), config.Json);
        ContainerSeccomp.Write(spec, store.Dir(id));
        Sys.MakeFifo(store.FifoPath(id), 0x180 /* 0600 */);
        return spec;
    }

    /// <summary>
    /// The container's group, made before its process exists: device rules from its first system call, then the config's
    /// limits. A group that holds processes already is refused: its limits would change, and a delete would kill, what
    /// is not this container's (runc: "cgroup is not empty").
    /// </summary>
    public static Cgroup MakeCgroup(string id, ContainerSpec spec, OciConfig config, Rollback rollback)
    {
        var cgroup = Cgroup.ForContainer(id, spec.CgroupPath);
        if (cgroup.Exists() && cgroup.Processes().Count > 0)
        {
            throw OciConfigReader.Invalid($"linux.cgroupsPath {spec.CgroupPath}: the group holds processes already, so it is not this container's; give a group of its own");
        }
        cgroup.Create();
        rollback.Add("cgroup " + cgroup.Path, () =>
        {
            cgroup.KillAll();
            cgroup.Remove();
        });
        if (!config.AllDevicesAllowed)
        {
            cgroup.RestrictDevices(Security.DeviceAllowList.For(config.AllowedDevices.Concat(config.Devices.Select(d => d.Rule))));
        }
        if (config.Limits is { } limits)
        {
            cgroup.Apply(limits);
        }
        OciCgroupExtras.Apply(cgroup, config);
        return cgroup;
    }

    /// <summary>
    /// Clones the first process: config.json's process on the given stdio, in the config's new and joined namespaces
    /// and the container's cgroup, set up by <see cref="OciSetup"/>. The joined namespaces are open only for the clone.
    /// </summary>
    public static CloneChild Start(ContainerSpec spec, OciConfig config, string stateDir, CgroupEntry cgroup, IReadOnlyList<SetupStep> setup,
        IReadOnlyList<(int, SafeFd)> descriptors, bool terminal)
    {
        var process = config.Process;
        var joined = config.JoinNamespaces.Select(j => (Fd: Sys.Open(j.Path, O_RDONLY), j.Kind)).ToArray();
        try
        {
            return CloneChild.Start(new CloneRequest
            {
                NewNamespaces = config.NewNamespaces,
                Cgroup = cgroup,
                Join = joined.Select(j => (j.Fd.Value, j.Kind)).ToArray(),
                Executable = Executable(config.RootPath, process, beforeMounts: true),
                Arguments = process.Args,
                Environment = process.Env,
                WorkingDirectory = process.Cwd,
                Descriptors = descriptors,
                KeepCapabilities = spec.CapabilityMask,
                NoNewPrivileges = process.NoNewPrivileges,
                ControllingTerminal = terminal,
                Setup = setup,
                BecomeRoot = config.NewNamespaces.HasFlag(NamespaceKind.User),
                User = process.User,
                Seccomp = ContainerSeccomp.Load(spec, stateDir),
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

    /// <summary>Once cloned: the user namespace's maps, then the oom score, before the child is released.</summary>
    public static void Prepare(int pid, OciConfig config)
    {
        if (config.NewNamespaces.HasFlag(NamespaceKind.User))
        {
            UserNamespaceMap.Write(pid, config.UidMap, config.GidMap); // the reader requires both
        }
        SetOomScore(pid, config);
    }

    private static void SetOomScore(int pid, OciConfig config)
    {
        if (config.Process.OomScoreAdj is { } oom)
        {
            File.WriteAllText($"/proc/{pid}/oom_score_adj", oom.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// New-Container -Bundle's process, started by our shim: the bundle's config read again (the shim is its own
    /// process), its output on the shim's pipes, no terminal. The shim writes the user namespace's maps, as for any
    /// container of the module, and releases it.
    /// </summary>
    public static CloneChild StartFromShim(ContainerStore store, string id, string stateDir, ContainerSpec spec, SafeFd devNull, SafeFd outWrite, SafeFd errWrite)
    {
        // The copy made at create: a bundle changed since must not change what runs under the spec already recorded.
        var config = OciConfigReader.Read(spec.Bundle!, Path.Combine(stateDir, "config.json"));
        var cgroup = Cgroup.ForContainer(id, spec.CgroupPath);
        using var fifo = Sys.Open(store.FifoPath(id), O_PATH);
        using var slots = SetupDescriptors.Reserve();
        var setup = OciSetup.Steps(config, cgroup, slots, fifo.Value, console: null, noPivot: false);
        ShimProcess.AwaitCgroupMade();
        using var entry = CgroupEntry.Open(cgroup);
        CloneChild child;
        using (outWrite)
        using (errWrite)
        {
            child = Start(spec, config, stateDir, entry, setup, [(0, devNull), (1, outWrite), (2, errWrite)], terminal: false);
        }
        SetOomScore(child.Pid, config);
        return child;
    }

    /// <summary>
    /// The program, looked up in <paramref name="root"/> as execvp would. A name not found there is the error runc
    /// gives, which podman turns into exit code 127. Before the config's mounts (<paramref name="beforeMounts"/>) an
    /// absolute path may come from one of them, so it is left to execve.
    /// </summary>
    internal static string Executable(string root, OciProcess process, bool beforeMounts)
    {
        try
        {
            return ExecutableLookup.Find(root, process.Args[0], process.Env, process.Cwd);
        }
        catch (ContainerPSException e) when (e.Reason == "ExecutableNotFound")
        {
            if (beforeMounts && process.Args[0].StartsWith('/') && process.Args[0].Length > 1)
            {
                return process.Args[0];
            }
            throw new ContainerPSException("ExecutableNotFound", FailureKind.ObjectNotFound, $"exec: \"{process.Args[0]}\": executable file not found in $PATH", process.Args[0], e);
        }
    }

    /// <summary>
    /// Hands a terminal's master to an engine's --console-socket (SCM_RIGHTS), sized as the process asked first, as
    /// runc does for create and exec alike.
    /// </summary>
    internal static void SendConsole(Pty terminal, OciProcess process, string socketPath)
    {
        if (process.ConsoleSize is { } size)
        {
            terminal.Resize(size.Rows, size.Columns);
        }
        using var socket = Sys.ConnectUnix(socketPath);
        Sys.SendDescriptor(socket, terminal.Master.Value, "/dev/ptmx");
    }

    private static ContainerSpec ToSpec(OciConfig config, string id, string ociId) => new()
    {
        Id = id,
        Name = ociId,
        RootFs = config.RootPath,
        Command = config.Process.Args,
        Environment = config.Process.Env,
        WorkingDirectory = config.Process.Cwd,
        Hostname = config.Hostname,
        Namespaces = config.NewNamespaces,
        JoinNamespaces = config.JoinNamespaces,
        ReadOnlyRootFs = config.RootReadOnly,
        CreatedAt = DateTime.UtcNow,
        // No linux.seccomp is no filter, as the runtime spec has it; the engines send theirs.
        SeccompProfile = config.SeccompJson ?? ContainerSpec.SeccompUnconfined,
        Devices = config.Devices,
        Capabilities = config.Process.Capabilities,
        User = config.Process.User,
        UidMap = config.UidMap,
        GidMap = config.GidMap,
        CgroupPath = config.CgroupsPath,
        Bundle = config.Bundle,
    };
}
