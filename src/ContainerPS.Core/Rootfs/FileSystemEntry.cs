namespace ContainerPS.Core.Rootfs;

/// <summary>What a path names itself, a final symlink not followed (what lstat(2) tells).</summary>
internal enum EntryKind
{
    Missing,
    Directory,
    File,
    Symlink,
}

internal static class FileSystemEntry
{
    public static EntryKind KindOf(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return EntryKind.Symlink;
        }
        if (info.Exists)
        {
            return EntryKind.File;
        }
        return Directory.Exists(path) ? EntryKind.Directory : EntryKind.Missing;
    }

    /// <summary>The text of the symlink at path, or null when path is not a symlink.</summary>
    public static string? LinkText(string path) => new FileInfo(path).LinkTarget;

    /// <summary>True when <paramref name="path"/>, symlinks followed, names a file (File.Exists is also true for a dangling link).</summary>
    public static bool IsFileFollowingLinks(string path) =>
        File.Exists(path) && File.ResolveLinkTarget(path, returnFinalTarget: true) is null or { Exists: true };
}
