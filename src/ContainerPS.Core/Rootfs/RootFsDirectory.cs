using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Rootfs;

/// <summary>The rootfs's own directory: which paths may be one, making a new one, and measuring one.</summary>
internal static class RootFsDirectory
{
    private const string Example = "/var/lib/containerps/rootfs/web";
    private static readonly EnumerationOptions EveryEntry = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    /// <summary>The absolute form of <paramref name="path"/>, without a trailing slash; never the host's "/".</summary>
    public static string FullPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ContainerPSException("InvalidRootFsPath", FailureKind.InvalidArgument, $"The rootfs path is empty. Give a directory such as {Example}.", path);
        }
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (full == "/")
        {
            throw new ContainerPSException("InvalidRootFsPath", FailureKind.InvalidArgument,
                $"The rootfs path '{path}' is the host's root directory. Give a directory of its own, such as {Example}.", path);
        }
        return full;
    }

    /// <summary>The absolute path of an existing rootfs directory to add to.</summary>
    public static string RequireExisting(string path)
    {
        var root = FullPath(path);
        return Directory.Exists(root)
            ? root
            : throw new ContainerPSException("RootFsNotFound", FailureKind.ObjectNotFound,
                $"The rootfs directory '{root}' does not exist. Make one first with CreateBusybox or CreateFromHost, or give an existing rootfs directory.", root);
    }

    /// <summary>
    /// Makes <paramref name="root"/> a new directory, with any missing parents, or accepts an existing
    /// empty one. Each directory made is recorded, so a failed build removes the parents it made too.
    /// </summary>
    public static void CreateEmpty(string root, RootFsChanges changes)
    {
        if (File.Exists(root))
        {
            throw new ContainerPSException("RootFsNotADirectory", FailureKind.InvalidArgument, $"The rootfs path '{root}' exists and is not a directory. Give a new or empty directory.", root);
        }
        if (Directory.Exists(root))
        {
            if (Directory.EnumerateFileSystemEntries(root, "*", EveryEntry).FirstOrDefault() is { } entry)
            {
                throw new ContainerPSException("RootFsNotEmpty", FailureKind.ResourceExists,
                    $"The rootfs directory '{root}' is not empty (it holds '{Path.GetFileName(entry)}'). " +
                    "Give a new or empty directory, or -FromHost alone (without -Busybox) to add programs to an existing rootfs.", root);
            }
            return;
        }

        var missing = new Stack<string>();
        for (var directory = root; directory is not null && !Directory.Exists(directory); directory = Path.GetDirectoryName(directory))
        {
            missing.Push(directory);
        }
        while (missing.TryPop(out var directory))
        {
            changes.CreateDirectory(directory, FileModes.Directory);
        }
    }

    /// <summary>The bytes of the regular files under <paramref name="directory"/>; a symlink counts nothing, its target counts where it lies.</summary>
    public static long MeasureBytes(string directory)
    {
        long total = 0;
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", EveryEntry))
        {
            if (entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                continue;
            }
            total += entry is FileInfo file ? file.Length : MeasureBytes(entry.FullName);
        }
        return total;
    }
}
