using ContainerPS.Core.Rootfs;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Runs a host command inside a group, as cgexec does: the spawned child enters the group itself (a step of its list,
/// before execve), so not one instruction of the command runs outside the group.
/// </summary>
public static class CgroupExec
{
    /// <summary>Runs to completion, handing each output line to <paramref name="onLine"/> ("stdout"/"stderr", text); returns the exit code.</summary>
    public static int Run(Cgroup cgroup, IReadOnlyList<string> command, string workingDirectory, Action<string, string> onLine)
    {
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToArray();
        using var process = NamespaceExec.Start(new ExecRequest
        {
            Executable = ExecutableLookup.Find("/", command[0], environment, workingDirectory),
            Arguments = command,
            Environment = environment,
            WorkingDirectory = workingDirectory,
            Cgroup = cgroup,
        }, ExecStdio.Pipes);
        process.RelayOutput(onLine);
        return process.Wait();
    }
}
