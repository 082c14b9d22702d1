using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// Resolves a path inside a root filesystem the way the kernel would after pivot_root: symlinks are followed,
/// absolute ones from the rootfs root, and ".." stops at that root. A mount destination such as /etc/x that is a
/// symlink to /../../host/etc can therefore never make us mount over a host path.
/// </summary>
public static class SecurePath
{
    private const int MaxSymlinks = 255;

    public static string Join(string root, string path)
    {
        var resolved = new List<string>();
        var pending = new Stack<string>(Components(path).Reverse());
        var followed = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }
                continue;
            }
            var candidate = Path.Combine(root, string.Join('/', resolved.Append(part)));
            var link = new FileInfo(candidate).LinkTarget;
            if (link is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++followed > MaxSymlinks)
            {
                throw new ContainerPSException("RootFsSymlinkLoop", FailureKind.InvalidOperation, $"Too many levels of symbolic links resolving {path} inside {root}.", path);
            }
            if (link.StartsWith('/'))
            {
                resolved.Clear();
            }
            foreach (var next in Components(link).Reverse())
            {
                pending.Push(next);
            }
        }
        return Path.Combine(root, string.Join('/', resolved));
    }

    private static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
}
