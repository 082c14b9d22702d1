using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Processes;
using ContainerPS.Core.Terminal;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Oci;

/// <summary>What `create` was told besides the bundle: runc's flags.</summary>
public sealed record OciCreateOptions
{
    public string? PidFile { get; init; }
    public string? ConsoleSocket { get; init; }
    public int PreserveFds { get; init; }
    public bool NoPivot { get; init; }
}

/// <summary>
/// `containerps-runtime create`: the container of a bundle, made by this process itself and left waiting on its exec
/// fifo. Unlike New-Container there is no shim of ours: the engine that called us (containerd's shim, conmon) is the
/// subreaper that inherits the container's process when we exit, and holds its stdio, which are ours (or, with a
/// terminal, a pty whose master goes to the engine's console socket). The record is the module's: a state directory
/// under --root with spec.json, state.json and the exec fifo, named by the engine's id, so Get-Container -Root lists
/// it. A failure anywhere removes everything made so far.
/// </summary>
public static partial class OciCreate
{
    [GeneratedRegex(@"^[\w+\-.]+$")]
    private static partial Regex IdPattern();

    /// <summary>Throws unless <paramref name="id"/> is an id runc would take: letters, digits, _ + - and dots, not . or ..</summary>
    public static void CheckId(string id)
    {
        if (!IdPattern().IsMatch(id) || id is "." or "..")
        {
            throw new ContainerPSException("ContainerIdInvalid", FailureKind.InvalidArgument, $"invalid container id format: {id} (use letters, digits, _, +, -, and .)", id);
        }
    }

    /// <returns>The container process's pid.</returns>
    public static int Run(ContainerStore store, string ociId, OciConfig config, OciCreateOptions options)
    {
        CheckId(ociId);
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var process = config.Process;
        if (config.Hooks.CreateContainer.Length + config.Hooks.StartContainer.Length > 0)
        {
            throw OciConfigReader.Invalid("hooks.createContainer and hooks.startContainer are not supported yet: they run inside the container's mount namespace, which this runtime does not enter for hooks; use createRuntime and poststart");
        }
        if (process.Terminal != (options.ConsoleSocket is not null))
        {
            throw OciConfigReader.Invalid(process.Terminal
                ? "process.terminal is true but no --console-socket was given to send the terminal to"
                : "--console-socket was given but process.terminal is false");
        }
        return Rollback.Run(rollback =>
        {
            store.CreateDir(id);
            rollback.Add("state directory", () => Directory.Delete(store.Dir(id), recursive: true));
            try
            {
                store.ReserveName(ociId, id);
            }
            catch (ContainerPSException e) when (e.Reason == "ContainerNameInUse")
            {
                throw new ContainerPSException("ContainerIdInUse", FailureKind.ResourceExists, $"container with id exists: {ociId}", ociId, e);
            }
            rollback.Add("id " + ociId, () => store.ReleaseName(ociId, id));
            var spec = OciContainer.Record(store, id, ociId, config);
            var cgroup = OciContainer.MakeCgroup(id, spec, config, rollback);

            using var terminal = options.ConsoleSocket is null ? null : Pty.Open();
            using var child = Clone(store, id, spec, config, cgroup, terminal, options);
            rollback.Add("process " + child.Pid, child.Kill);
            var pid = child.Pid;
            // No shim of ours (ShimPid 0): the engine's monitor holds the process once we exit.
            store.UpdateState(id, _ => new ContainerStateFile { Pid = pid, PidStartTime = ProcStat.StartTime(pid) ?? 0 });
            var state = OciState.Of(store, store.Load(id)!);
            OciHooksRunner.Run("prestart", config.Hooks.Prestart, state);
            OciHooksRunner.Run("createRuntime", config.Hooks.CreateRuntime, state);
            if (terminal is not null)
            {
                OciContainer.SendConsole(terminal, process, options.ConsoleSocket!);
            }
            if (options.PidFile is { } pidFile)
            {
                WritePidFile(pidFile, pid);
            }
            return pid;
        });
    }

    /// <summary>The pid, written whole under a temporary name and renamed, so an engine polling the file never reads half.</summary>
    public static void WritePidFile(string path, int pid)
    {
        path = Path.GetFullPath(path);
        var partial = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp");
        File.WriteAllText(partial, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>The container's process, released to wait on its exec fifo (a failure on the way kills it).</summary>
    private static CloneChild Clone(ContainerStore store, string id, ContainerSpec spec, OciConfig config, Cgroup cgroup, Pty? terminal, OciCreateOptions options)
    {
        using var fifo = Sys.Open(store.FifoPath(id), O_PATH);
        using var slots = SetupDescriptors.Reserve();
        var setup = OciSetup.Steps(config, cgroup, slots, fifo.Value, console: terminal is null ? null : $"/dev/pts/{terminal.Number()}", options.NoPivot);
        using var entry = CgroupEntry.Open(cgroup);
        using var slave = terminal?.OpenSlave();
        // Our stdio is the container's: the engine gave it to us for that. Borrowed, never closed here.
        SafeFd Own(int fd) => new(fd, ownsHandle: false);
        (int, SafeFd)[] stdio = slave is not null ? [(0, slave), (1, slave), (2, slave)] : [(0, Own(0)), (1, Own(1)), (2, Own(2))];
        var child = OciContainer.Start(spec, config, store.Dir(id), entry, setup, [.. stdio, .. Enumerable.Range(3, options.PreserveFds).Select(fd => (fd, Own(fd)))],
            terminal: slave is not null);
        try
        {
            OciContainer.Prepare(child.Pid, config);
            child.Release();
            return child;
        }
        catch
        {
            child.Kill();
            child.Dispose();
            throw;
        }
    }
}
