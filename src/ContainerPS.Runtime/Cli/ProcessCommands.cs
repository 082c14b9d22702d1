using System.Text.Json;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Oci;

namespace ContainerPS.Runtime.Cli;

/// <summary>exec, pause, resume and update: what an engine does to a container that runs.</summary>
internal static class ProcessCommands
{
    public static int Exec(ContainerStore store, string[] args)
    {
        var parsed = CommandArguments.Parse("exec", args,
            ["process", "pid-file", "console-socket", "env", "cwd", "user", "cap", "preserve-fds", "process-label", "apparmor", "cgroup", "additional-gids"],
            ["detach", "tty", "no-new-privs", "ignore-paused"],
            new() { ["p"] = "process", ["d"] = "detach", ["t"] = "tty", ["e"] = "env", ["u"] = "user", ["c"] = "cap", ["g"] = "additional-gids" });
        foreach (var unsupported in new[] { "process-label", "apparmor", "cgroup", "additional-gids" })
        {
            if (parsed.Value(unsupported) is not null)
            {
                throw new UsageException($"--{unsupported} is not supported by this runtime's exec");
            }
        }
        var container = EngineContainers.Find(store, parsed.Id("exec"));
        OciProcess process;
        if (parsed.Value("process") is { } file)
        {
            process = OciExec.ReadProcess(file);
        }
        else
        {
            if (parsed.Positional.Count < 2)
            {
                throw new UsageException("exec needs a command after the container id, or --process FILE");
            }
            var spec = store.ReadSpec(container.Id) ?? throw new ContainerPSException("ContainerDamaged", FailureKind.InvalidData, $"container {container.Name} has no spec.json", container.Name);
            process = OciExec.FromArguments(spec, parsed.Positional.Skip(1).ToArray(), parsed.Values("env"), parsed.Value("cwd"), parsed.Value("user"),
                parsed.Has("tty"), parsed.Values("cap"), parsed.Has("no-new-privs"));
        }
        return OciExec.Run(store, container, process, new OciExecOptions
        {
            PidFile = parsed.Value("pid-file"),
            ConsoleSocket = parsed.Value("console-socket"),
            Detach = parsed.Has("detach"),
            PreserveFds = parsed.Number("preserve-fds"),
        });
    }

    public static int Pause(ContainerStore store, string[] args)
    {
        var container = EngineContainers.Find(store, CommandArguments.Parse("pause", args, [], []).Id("pause"));
        if (container.State != ContainerState.Running)
        {
            throw new ContainerPSException("ContainerNotRunning", FailureKind.InvalidOperation, "container not running", container.Name);
        }
        ContainerPause.Suspend(store, container);
        return 0;
    }

    public static int Resume(ContainerStore store, string[] args)
    {
        var container = EngineContainers.Find(store, CommandArguments.Parse("resume", args, [], []).Id("resume"));
        if (container.State != ContainerState.Paused)
        {
            throw new ContainerPSException("ContainerNotPaused", FailureKind.InvalidOperation, "container not paused", container.Name);
        }
        ContainerPause.Resume(store, container);
        return 0;
    }

    /// <summary>update --resources FILE|-: linux.resources (memory, cpu, pids, blockIO) applied to the container's cgroup; or the common flags.</summary>
    public static int Update(ContainerStore store, string[] args)
    {
        var parsed = CommandArguments.Parse("update", args, ["resources", "memory", "memory-swap", "pids-limit", "cpu-shares", "cpu-quota", "cpu-period", "cpuset-cpus"], [],
            new() { ["r"] = "resources", ["m"] = "memory" });
        var container = EngineContainers.Find(store, parsed.Id("update"));
        CgroupLimits limits;
        if (parsed.Value("resources") is { } source)
        {
            var json = source == "-" ? ReadAll(Console.OpenStandardInput()) : File.ReadAllBytes(source);
            using var document = JsonDocument.Parse(json);
            limits = OciConfigReader.Limits(document.RootElement) ?? new CgroupLimits();
        }
        else
        {
            limits = new CgroupLimits
            {
                Memory = parsed.Value("memory") is { } memory ? ByteSize.Parse(memory) : null,
                MemorySwap = parsed.Value("memory-swap") is { } swap ? ByteSize.Parse(swap) : null,
                Pids = parsed.Value("pids-limit") is { } pids ? long.Parse(pids, System.Globalization.CultureInfo.InvariantCulture) : null,
                CpuShares = parsed.Value("cpu-shares") is { } shares ? long.Parse(shares, System.Globalization.CultureInfo.InvariantCulture) : null,
                CpuQuota = parsed.Value("cpu-quota") is { } quota
                    ? double.Parse(quota, System.Globalization.CultureInfo.InvariantCulture) / double.Parse(parsed.Value("cpu-period") ?? "100000", System.Globalization.CultureInfo.InvariantCulture)
                    : null,
                CpuSet = parsed.Value("cpuset-cpus"),
            };
        }
        if (container.State is ContainerState.Stopped or ContainerState.Damaged)
        {
            throw new ContainerPSException("ContainerNotRunning", FailureKind.InvalidOperation, "container not running", container.Name);
        }
        Cgroup.ForContainer(container.Id, container.CgroupPath).Apply(limits);
        return 0;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
