using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Runtime.Cli;

/// <summary>
/// containerps-runtime as an OCI runtime: runc's global flags, then one command. The state store is the module's:
/// --root (default /run/containerps, where New-Container keeps its own) holds a record per container, named by the
/// engine's id, so Get-Container -Root sees what an engine made and this binary sees what the module made. Exit
/// code 0 on success, 1 with the error in the log on failure; run and exec pass on their process's exit code.
/// </summary>
internal static class RuntimeCommandLine
{
    private static readonly string[] GlobalValued = ["root", "log", "log-format", "criu", "rootless"];
    private static readonly string[] GlobalSwitches = ["debug", "systemd-cgroup", "help", "version"];

    public static int Run(string[] args)
    {
        var command = CommandIndex(args);
        var global = CommandArguments.Parse("", command < 0 ? args : args[..command], GlobalValued, GlobalSwitches, new() { ["h"] = "help", ["v"] = "version" });
        var log = new RuntimeLog(global.Value("log"), global.Value("log-format") == "json");
        try
        {
            if (global.Value("log-format") is { } format && format is not ("text" or "json"))
            {
                throw new UsageException($"invalid log-format: {format} (valid: text, json)");
            }
            if (global.Has("systemd-cgroup"))
            {
                throw new UsageException("--systemd-cgroup is not supported: this runtime manages cgroups through cgroupfs and talks to no systemd (containerd: SystemdCgroup = false; podman: --cgroup-manager cgroupfs)");
            }
            if (global.Has("version"))
            {
                Console.Out.Write(RuntimeInfo.Version);
                return 0;
            }
            if (global.Has("help"))
            {
                Console.Out.Write(RuntimeInfo.Usage);
                return 0;
            }
            if (command < 0)
            {
                Console.Error.Write(RuntimeInfo.Usage);
                return 2; // a usage error, as the shim's own entry always answered one
            }
            var store = new ContainerStore(Path.GetFullPath(global.Value("root") ?? ContainerStore.DefaultRoot));
            var rest = args[(command + 1)..];
            if (rest.Contains("--help") || rest.Contains("-h"))
            {
                Console.Out.Write(RuntimeInfo.Usage);
                return 0;
            }
            return args[command] switch
            {
                "create" => LifecycleCommands.Create(store, rest),
                "start" => LifecycleCommands.Start(store, rest, log),
                "run" => LifecycleCommands.RunContainer(store, rest, log),
                "delete" => LifecycleCommands.Delete(store, rest, log),
                "kill" => LifecycleCommands.Kill(store, rest),
                "state" => InfoCommands.State(store, rest),
                "list" => InfoCommands.List(store, rest),
                "ps" => InfoCommands.Ps(store, rest),
                "spec" => InfoCommands.Spec(rest),
                "features" => InfoCommands.Features(rest),
                "exec" => ProcessCommands.Exec(store, rest),
                "pause" => ProcessCommands.Pause(store, rest),
                "resume" => ProcessCommands.Resume(store, rest),
                "update" => ProcessCommands.Update(store, rest),
                _ => throw new UsageException($"unknown command {args[command]}"),
            };
        }
        catch (Exception e)
        {
            // Whatever it was, the engine reads it from the log and sees exit code 1; an unhandled exception would
            // abort the process with neither.
            log.Error(e is UsageException or ContainerPSException or NativeException or IOException or UnauthorizedAccessException or RecordDamagedException
                ? e.Message
                : $"{e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Where the command word is: the first word that is neither a global flag nor the value of one.</summary>
    private static int CommandIndex(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith('-'))
            {
                return i;
            }
            if (GlobalValued.Contains(args[i].TrimStart('-')))
            {
                i++; // its value
            }
        }
        return -1;
    }
}
