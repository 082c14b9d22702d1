using ContainerPS.Core.Interop;
namespace ContainerPS.Core.Containers;

/// <summary>
/// What may be the working directory of a container's process or of a command run in it, checked before anything
/// starts: an absolute path, and not inside a process's directory of /proc (/proc/self, /proc/PID, /proc/thread-self),
/// whose fd/N, cwd and root entries lead to directories wherever they are, the host's included (the runc
/// CVE-2024-21626 pattern). The child enters the directory by descriptor, resolved inside the root with magic links
/// refused, so a symlink that leads there fails too; this check makes the plain case an error that says why.
/// </summary>
public static class ContainerWorkingDirectory
{
    /// <returns>The path as given, when it may be used.</returns>
    public static string Check(string path, object? target = null)
    {
        if (!path.StartsWith('/'))
        {
            throw new ContainerPSException("InvalidWorkingDirectory", FailureKind.InvalidArgument,
                $"The working directory '{path}' must be an absolute path inside the container, such as /root.", target ?? path);
        }
        var parts = Normalized(path);
        if (parts.Count >= 2 && parts[0] == "proc" && IsProcessDirectory(parts[1]))
        {
            throw new ContainerPSException("WorkingDirectoryInProcessDirectory", FailureKind.InvalidArgument,
                $"The working directory '{path}' is inside /proc/{parts[1]}, a process's directory whose fd, cwd and root entries " +
                "can lead outside the container's root. Give a directory of the container's file system, such as /root or /tmp.", target ?? path);
        }
        return path;
    }

    /// <summary>The path's components with ".", "" and ".." applied as the kernel applies them at the root.</summary>
    private static List<string> Normalized(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }
        return parts;
    }

    private static bool IsProcessDirectory(string name) =>
        name is "self" or "thread-self" || (name.Length > 0 && name.All(char.IsAsciiDigit));
}
