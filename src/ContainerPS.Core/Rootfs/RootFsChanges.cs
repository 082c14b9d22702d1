namespace ContainerPS.Core.Rootfs;

/// <summary>
/// The changes one build makes to a rootfs. Every change goes through here and is recorded before it
/// is made, so a build that fails midway can be undone: what it created is removed, what it replaced
/// is put back. Nothing half-built stays behind.
/// </summary>
internal sealed class RootFsChanges
{
    private readonly List<Change> _changes = [];

    public void CreateDirectory(string path, UnixFileMode mode)
    {
        _changes.Add(new Change(path));
        Directory.CreateDirectory(path);
        // mkdir applies the umask; chmod does not, and /tmp needs its sticky, world-writable 1777.
        File.SetUnixFileMode(path, mode);
    }

    public void CreateSymlink(string path, string linkText)
    {
        _changes.Add(new Change(path));
        File.CreateSymbolicLink(path, linkText);
    }

    /// <summary>Copies a host file (its permission bits and times come along) to a path that does not exist yet.</summary>
    public void CopyFile(string source, string destination)
    {
        _changes.Add(new Change(destination));
        File.Copy(source, destination, overwrite: false);
    }

    public void WriteFile(string path, string text)
    {
        _changes.Add(new Change(path));
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, FileModes.ReadableFile);
    }

    /// <summary>
    /// Takes an existing file or symlink out of the way so the build can put its own there. A file is
    /// renamed beside itself; a symlink is only deleted, since its text is all there is to restore.
    /// </summary>
    public void Replace(string path)
    {
        if (FileSystemEntry.LinkText(path) is { } linkText)
        {
            _changes.Add(new Change(path, FormerLinkText: linkText));
            File.Delete(path);
            return;
        }
        var backup = $"{path}.containerps-replaced-{Guid.NewGuid():N}";
        _changes.Add(new Change(path, FormerFile: backup));
        File.Move(path, backup);
    }

    /// <summary>Keeps the changes: drops the backups of replaced files.</summary>
    public void Commit()
    {
        foreach (var change in _changes)
        {
            if (change.FormerFile is { } backup)
            {
                File.Delete(backup);
            }
        }
        _changes.Clear();
    }

    /// <summary>
    /// Undoes every change, newest first. Throws an IOException that wraps <paramref name="failure"/> and
    /// lists what is left if something could not be undone; otherwise returns so the caller rethrows.
    /// </summary>
    public void RollBack(Exception failure)
    {
        var leftovers = new List<string>();
        for (var i = _changes.Count - 1; i >= 0; i--)
        {
            try
            {
                Undo(_changes[i]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                leftovers.Add($"{_changes[i].Path} ({e.Message})");
            }
        }
        _changes.Clear();
        if (leftovers.Count > 0)
        {
            throw new IOException(
                $"{failure.Message} Undoing the partial build also failed; remove these by hand: {string.Join("; ", leftovers)}",
                failure);
        }
    }

    private static void Undo(Change change)
    {
        Remove(change.Path);
        if (change.FormerLinkText is { } linkText)
        {
            File.CreateSymbolicLink(change.Path, linkText);
        }
        else if (change.FormerFile is { } backup)
        {
            File.Move(backup, change.Path);
        }
    }

    private static void Remove(string path)
    {
        switch (FileSystemEntry.KindOf(path))
        {
            case EntryKind.File or EntryKind.Symlink:
                File.Delete(path);
                break;
            case EntryKind.Directory:
                // Unlinks symlinks inside rather than following them, so links to host paths are safe.
                Directory.Delete(path, recursive: true);
                break;
        }
    }

    /// <param name="Path">What the build created or replaced.</param>
    /// <param name="FormerLinkText">The text of the symlink the build replaced.</param>
    /// <param name="FormerFile">Where the file the build replaced was moved aside to.</param>
    private sealed record Change(string Path, string? FormerLinkText = null, string? FormerFile = null);
}
