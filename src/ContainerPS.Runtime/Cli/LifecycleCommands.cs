using System.Runtime.InteropServices;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Oci;
using ContainerPS.Core.Processes;

namespace ContainerPS.Runtime.Cli;

/// <summary>create, start, run, delete and kill: a container's life as an engine drives it.</summary>
internal static class LifecycleCommands
{
    private static readonly string[] CreateValued = ["bundle", "pid-file", "console-socket", "preserve-fds"];
    private static readonly string[] CreateSwitches = ["no-pivot", "no-new-keyring"];
    private static readonly Dictionary<string, string> CreateAliases = new() { ["b"] = "bundle" };

    public static int Create(ContainerStore store, string[] args)
    {
        var (id, config, options, _) = ParseCreate("create", args, CreateValued, CreateSwitches);
        OciCreate.Run(store, id, config, options);
        return 0;
    }

    public static int Start(ContainerStore store, string[] args, RuntimeLog log)
    {
        var parsed = CommandArguments.Parse("start", args, [], []);
        StartCreated(store, parsed.Id("start"), log);
        return 0;
    }

    /// <summary>
    /// run: create and start; with --detach that is all, else we wait for the process (our child), pass SIGINT,
    /// SIGTERM, SIGHUP and SIGQUIT on to it, delete the container (unless --keep) and exit with its exit code.
    /// </summary>
    public static int RunContainer(ContainerStore store, string[] args, RuntimeLog log)
    {
        var (id, config, options, parsed) = ParseCreate("run", args, CreateValued, [.. CreateSwitches, "detach", "keep"], new() { ["d"] = "detach" });
        var detach = parsed.Has("detach");
        var pid = OciCreate.Run(store, id, config, options);
        var forwarding = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Sys.TryKill(pid, SignalNumber(context.Signal));
            })).ToArray();
        try
        {
            try
            {
                StartCreated(store, id, log);
            }
            catch
            {
                // runc's run leaves nothing of a container that did not start.
                Remove(store, EngineContainers.Find(store, id), log);
                throw;
            }
            if (detach)
            {
                return 0;
            }
            var (code, _) = ExitStatus.Decode(Sys.Wait(pid, block: true).Status);
            if (!parsed.Has("keep"))
            {
                Remove(store, EngineContainers.Find(store, id), log);
            }
            return code;
        }
        finally
        {
            foreach (var registration in forwarding)
            {
                registration.Dispose();
            }
        }
    }

    /// <summary>
    /// delete: a stopped container's record, cgroup and state go, then its poststop hooks run; a created one is killed
    /// first (runc does so too); a running or paused one only with --force. A container that does not exist is an
    /// error, except with --force, which engines send after a delete that already worked.
    /// </summary>
    public static int Delete(ContainerStore store, string[] args, RuntimeLog log)
    {
        var parsed = CommandArguments.Parse("delete", args, [], ["force"], new() { ["f"] = "force" });
        var id = parsed.Id("delete");
        if (EngineContainers.TryFind(store, id) is not { } container)
        {
            if (parsed.Has("force"))
            {
                return 0;
            }
            throw new ContainerPSException("ContainerNotFound", FailureKind.ObjectNotFound, $"container {id} does not exist", id);
        }
        if (container.State is ContainerState.Running or ContainerState.Paused && !parsed.Has("force"))
        {
            throw new ContainerPSException("ContainerNotStopped", FailureKind.InvalidOperation,
                $"cannot delete container {id} that is not stopped: {OciState.Of(store, container).Status}", id);
        }
        Remove(store, container, log);
        return 0;
    }

    /// <summary>kill ID [SIGNAL]: SIGTERM unless named (9, KILL, SIGKILL); --all signals every process of its cgroup.</summary>
    public static int Kill(ContainerStore store, string[] args)
    {
        var parsed = CommandArguments.Parse("kill", args, [], ["all"], new() { ["a"] = "all" });
        var container = EngineContainers.Find(store, parsed.Id("kill"));
        var signal = parsed.Positional.Count > 1 ? Signals.Parse(parsed.Positional[1]) : Signals.Parse("TERM");
        if (container.State is ContainerState.Stopped or ContainerState.Damaged || store.ReadState(container.Id) is not { } state)
        {
            throw new ContainerPSException("ContainerNotRunning", FailureKind.InvalidOperation, "container not running", container.Name);
        }
        if (parsed.Has("all"))
        {
            foreach (var pid in Core.Cgroups.Cgroup.ForContainer(container.Id, container.CgroupPath).Processes())
            {
                Sys.TryKill(pid, signal);
            }
            return 0;
        }
        if (!ProcessSignal.Send(state.Pid, state.PidStartTime, signal))
        {
            throw new ContainerPSException("ContainerNotRunning", FailureKind.InvalidOperation, "container not running: no such process", container.Name);
        }
        return 0;
    }

    private static void StartCreated(ContainerStore store, string id, RuntimeLog log)
    {
        var container = EngineContainers.Find(store, id);
        if (container.State != ContainerState.Created)
        {
            throw new ContainerPSException("ContainerNotCreated", FailureKind.InvalidOperation, container.State == ContainerState.Stopped
                ? "cannot start a container that has stopped"
                : $"cannot start an already {OciState.Of(store, container).Status} container", id);
        }
        var started = ContainerStart.Run(store, container);
        // A poststart hook's failure is a warning: the container runs already (runtime-spec, lifecycle step 10).
        try
        {
            OciHooksRunner.Run("poststart", HooksOf(store, started).Poststart, OciState.Of(store, started));
        }
        catch (ContainerPSException e)
        {
            log.Warning(e.Message);
        }
    }

    private static void Remove(ContainerStore store, Container container, RuntimeLog log)
    {
        var hooks = HooksOf(store, container);
        var state = OciState.Of(store, container) with { Status = "stopped" };
        ContainerRemove.Run(store, container, force: true);
        try
        {
            OciHooksRunner.Run("poststop", hooks.Poststop, state);
        }
        catch (ContainerPSException e)
        {
            log.Warning(e.Message); // the container is gone already; runc warns too
        }
    }

    private static OciHooks HooksOf(ContainerStore store, Container container)
    {
        var config = Path.Combine(store.Dir(container.Id), "config.json");
        return container.Bundle is not null && File.Exists(config) ? OciConfigReader.ReadHooks(File.ReadAllBytes(config)) : new OciHooks();
    }

    private static (string Id, OciConfig Config, OciCreateOptions Options, CommandArguments Parsed) ParseCreate(string command, string[] args, string[] valued, string[] switches, Dictionary<string, string>? extraAliases = null)
    {
        var aliases = new Dictionary<string, string>(CreateAliases);
        foreach (var (alias, name) in extraAliases ?? [])
        {
            aliases[alias] = name;
        }
        var parsed = CommandArguments.Parse(command, args, valued, switches, aliases);
        var id = parsed.Id(command);
        OciCreate.CheckId(id);
        var config = OciConfigReader.Read(parsed.Value("bundle") ?? Directory.GetCurrentDirectory());
        return (id, config, new OciCreateOptions
        {
            PidFile = parsed.Value("pid-file"),
            ConsoleSocket = parsed.Value("console-socket"),
            PreserveFds = parsed.Number("preserve-fds"),
            NoPivot = parsed.Has("no-pivot"),
        }, parsed);
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGTERM => 15,
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGQUIT => 3,
        _ => 15,
    };
}
