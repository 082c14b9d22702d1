using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Rootfs;

namespace ContainerPS.Core.Containers;

/// <summary>
/// docker exec: a command that joins a running container whole: every namespace it has, its cgroup, its root
/// (through its mount namespace), its environment (with overrides) and its capability limits.
/// </summary>
public static class ContainerExec
{
    /// <summary>Every namespace the container has, made or joined, as its process's /proc/PID/ns entries: what an exec joins.</summary>
    public static (NamespaceKind Kind, string Path)[] NamespacesOf(ContainerSpec spec, int pid) =>
        spec.JoinNamespaces.Aggregate(spec.Namespaces, (all, j) => all | j.Kind).Each().Select(kind => (kind, $"/proc/{pid}/ns/{kind.ProcName()}")).ToArray();

    public static ExecRequest Request(ContainerStore store, Container container, IReadOnlyList<string> command,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, string? user = null, IReadOnlyList<int>? preserveFds = null)
    {
        if (container.State != ContainerState.Running || container.Pid is not { } pid)
        {
            throw new ContainerPSException("ContainerNotRunning", FailureKind.InvalidOperation,
                $"Container '{container.Name}' is {container.State}; commands run only in a Running container." +
                (container.State == ContainerState.Created ? " Start it first with Start-Container." : ""), container);
        }
        var spec = store.ReadSpec(container.Id)!;
        var env = spec.Environment.ToDictionary(e => e[..e.IndexOf('=')], e => e[(e.IndexOf('=') + 1)..]);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            EnvironmentVariable.Check(key, value);
            env[key] = value;
        }
        var envList = env.Select(kv => $"{kv.Key}={kv.Value}").ToArray();
        var cwd = ContainerWorkingDirectory.Check(workingDirectory ?? spec.WorkingDirectory, container);
        return new ExecRequest
        {
            Namespaces = NamespacesOf(spec, pid),
            Executable = ExecutableLookup.Find($"/proc/{pid}/root", command[0], envList, cwd),
            Arguments = command,
            Environment = envList,
            WorkingDirectory = cwd,
            Cgroup = Cgroup.ForContainer(container.Id, spec.CgroupPath),
            TerminalRoot = $"/proc/{pid}/root",
            KeepCapabilities = spec.CapabilityMask,
            NoNewPrivileges = true,
            // Looked up in the container's own /etc/passwd as it is now, through its root.
            User = user is null ? spec.User : ContainerUserLookup.Resolve($"/proc/{pid}/root", user, []),
            Seccomp = ContainerSeccomp.Load(spec, store.Dir(container.Id)),
            PreserveFds = PreservedDescriptors.Check(preserveFds ?? []),
        };
    }
}
