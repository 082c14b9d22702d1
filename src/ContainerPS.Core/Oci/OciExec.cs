using System.Text.Json;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Rootfs;

namespace ContainerPS.Core.Oci;

/// <summary>What `exec` was told besides the process.</summary>
public sealed record OciExecOptions
{
    public string? PidFile { get; init; }
    public string? ConsoleSocket { get; init; }
    public bool Detach { get; init; }
    public int PreserveFds { get; init; }
}

/// <summary>
/// `containerps-runtime exec`: a process that joins a running container whole (its namespaces, its cgroup, its seccomp
/// filter), from an engine's process.json or from the command line. Its stdio are ours, or a pty made from the
/// container's own /dev/ptmx whose master goes to the console socket. Detached, we exit once it runs and the engine,
/// a subreaper, inherits it; attached, we wait and exit with its exit code.
/// </summary>
public static class OciExec
{
    /// <summary>An exec's process from the JSON file an engine wrote (runtime-spec's process object).</summary>
    public static OciProcess ReadProcess(string path)
    {
        if (!File.Exists(path))
        {
            throw OciConfigReader.Invalid($"open {path}: no such file or directory (the --process file)");
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return OciConfigReader.ReadProcess(document.RootElement, "process");
        }
        catch (JsonException e)
        {
            throw OciConfigReader.Invalid($"the process file {path} is not valid JSON: {e.Message}");
        }
    }

    /// <returns>With <see cref="OciExecOptions.Detach"/> 0 once it runs, else its exit code.</returns>
    public static int Run(ContainerStore store, Container container, OciProcess process, OciExecOptions options)
    {
        if (container.State != ContainerState.Running || container.Pid is not { } pid)
        {
            throw new ContainerPSException("ContainerNotRunning", FailureKind.InvalidOperation, $"cannot exec in a {OciState.Of(store, container).Status} container", container.Name);
        }
        if (process.Terminal != (options.ConsoleSocket is not null))
        {
            throw OciConfigReader.Invalid(process.Terminal
                ? "--tty needs --console-socket, where the terminal's master is sent (an engine's): this runtime does not relay a terminal itself"
                : "--console-socket was given without --tty");
        }
        var spec = store.ReadSpec(container.Id)!;
        var root = $"/proc/{pid}/root"; // the container's mounts are all there
        var executable = OciContainer.Executable(root, process, beforeMounts: false);
        // Our own limits and umask, which the command inherits: this process exists only to start it.
        foreach (var (resource, soft, hard) in process.Rlimits)
        {
            Sys.SetResourceLimit(resource, soft, hard);
        }
        if (process.Umask is { } mask)
        {
            Sys.SetUmask(mask);
        }
        var request = new ExecRequest
        {
            Namespaces = ContainerExec.NamespacesOf(spec, pid),
            Executable = executable,
            Arguments = process.Args,
            Environment = process.Env,
            WorkingDirectory = process.Cwd,
            Cgroup = Cgroup.ForContainer(container.Id, spec.CgroupPath),
            TerminalRoot = root,
            KeepCapabilities = ContainerCapabilities.Mask(process.Capabilities),
            NoNewPrivileges = process.NoNewPrivileges,
            User = process.User,
            Seccomp = ContainerSeccomp.Load(spec, store.Dir(container.Id)),
            PreserveFds = Enumerable.Range(3, options.PreserveFds).ToArray(),
        };
        using var started = NamespaceExec.Start(request, process.Terminal ? ExecStdio.Terminal : ExecStdio.Inherited);
        if (started.Terminal is { } terminal)
        {
            OciContainer.SendConsole(terminal, process, options.ConsoleSocket!);
        }
        if (options.PidFile is { } pidFile)
        {
            OciCreate.WritePidFile(pidFile, started.Pid);
        }
        return options.Detach ? 0 : started.Wait();
    }

    /// <summary>
    /// The process of `exec ID COMMAND...`: the container's own environment and working directory unless --env and
    /// --cwd say otherwise, its capabilities, and root or --user UID[:GID].
    /// </summary>
    public static OciProcess FromArguments(ContainerSpec spec, string[] command, string[] env, string? cwd, string? user, bool tty, string[] addCapabilities, bool noNewPrivileges)
    {
        var environment = spec.Environment.ToDictionary(e => e[..e.IndexOf('=')], e => e);
        foreach (var entry in env)
        {
            var equals = entry.IndexOf('=');
            if (equals <= 0)
            {
                throw OciConfigReader.Invalid($"--env {entry} is not NAME=VALUE");
            }
            environment[entry[..equals]] = entry;
        }
        var (uid, gid) = (spec.User?.Uid ?? 0, spec.User?.Gid ?? 0);
        if (user is not null)
        {
            var parts = user.Split(':');
            if (!uint.TryParse(parts[0], out uid) || (parts.Length > 1 && !uint.TryParse(parts[1], out gid)) || parts.Length > 2)
            {
                throw OciConfigReader.Invalid($"--user {user} is not UID[:GID] (numbers)");
            }
            gid = parts.Length > 1 ? gid : 0;
        }
        return new OciProcess
        {
            Args = command,
            Env = environment.Values.ToArray(),
            Cwd = cwd ?? spec.WorkingDirectory,
            Uid = uid,
            Gid = gid,
            Terminal = tty,
            Capabilities = spec.Capabilities.Concat(addCapabilities).Distinct().ToArray(),
            NoNewPrivileges = noNewPrivileges,
        };
    }
}
