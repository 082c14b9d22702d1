using ContainerPS.Core.Rootfs;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// Finds the program a container runs, as execvp would inside it: a name with a slash is a path (relative to the
/// working directory), a bare name is searched in the container's PATH. Used from the host against the rootfs at
/// create time (so a missing command fails before anything runs) and through /proc/PID/root for an exec.
/// </summary>
public static class ExecutableLookup
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The path inside the container, or throws ExecutableNotFound naming what was searched.</summary>
    public static string Find(string root, string command, IEnumerable<string> environment, string workingDirectory)
    {
        var searchPath = environment.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? DefaultPath;
        var candidates = command.Contains('/')
            ? [command.StartsWith('/') ? command : Path.Combine(workingDirectory, command)]
            : searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, command)).ToArray();
        foreach (var candidate in candidates)
        {
            if (IsExecutableFile(SecurePath.Join(root, candidate)))
            {
                return candidate;
            }
        }
        var where = command.Contains('/') ? $"at {candidates[0]}" : $"in PATH ({searchPath})";
        // A running container's root is reached through /proc/PID/root: name the container, not that path.
        var inside = root.StartsWith("/proc/", StringComparison.Ordinal) ? "inside the container" : $"inside the root filesystem {root}";
        var words = command.Contains(' ') ? " Give the program and its arguments as separate words (echo hello), or run a shell line with sh,-c,'...'." : "";
        throw new ContainerPSException("ExecutableNotFound", FailureKind.ObjectNotFound,
            $"The command '{command}' was not found {where} {inside}.{words} " +
            "Give a program that exists in the rootfs (for a busybox rootfs: sh, ls, echo, sleep, ...), or add it with New-ContainerRootFs -FromHost.",
            command);
    }

    private static bool IsExecutableFile(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && (info.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
