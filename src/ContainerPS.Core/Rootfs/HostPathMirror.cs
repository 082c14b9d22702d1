using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// Recreates host paths inside a rootfs, symlinks included, so a path resolves inside a chroot of the
/// rootfs as it does on the host: /lib64/ld-linux-x86-64.so.2 becomes the link lib64 -> usr/lib64,
/// the link usr/lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2, the link
/// lib -> usr/lib and the file usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2.
/// </summary>
/// <remarks>
/// Paths are walked inside the rootfs one component at a time, its symlinks followed here as if the
/// rootfs were "/" (an absolute link restarts at the rootfs, ".." stops there). Letting the kernel
/// resolve them instead would follow an absolute link such as the loader's out to the host, and the
/// build would overwrite host files. Where the rootfs lacks a component, the host's entry at the same
/// path decides what to make: its symlink is recreated, else a directory is made.
/// </remarks>
internal sealed class HostPathMirror(string root, RootFsChanges changes)
{
    private const int MaxSymlinks = 40; // the kernel's limit before ELOOP

    /// <summary>Makes the absolute host path <paramref name="hostPath"/> name a copy of its host file inside the rootfs.</summary>
    public void CopyFile(string hostPath) => Walk(hostPath, endsInDirectory: false);

    /// <summary>Makes the absolute host path <paramref name="hostPath"/> name a directory inside the rootfs.</summary>
    public void EnsureDirectory(string hostPath) => Walk(hostPath, endsInDirectory: true);

    private void Walk(string hostPath, bool endsInDirectory)
    {
        var pending = new Stack<string>();
        PushComponents(pending, hostPath);
        var current = "/"; // inside the rootfs, free of symlinks, an existing directory
        var symlinksFollowed = 0;
        while (pending.TryPop(out var name))
        {
            if (name == "..")
            {
                current = Parent(current);
                continue;
            }
            var isLast = pending.Count == 0;
            var path = current == "/" ? "/" + name : current + "/" + name;
            var inRoot = root + path;
            switch (FileSystemEntry.KindOf(inRoot))
            {
                case EntryKind.Missing when HostLinkText(path) is { } hostLink:
                    changes.CreateSymlink(inRoot, hostLink);
                    pending.Push(name); // walk it again, now as a link
                    break;
                case EntryKind.Missing when !isLast || endsInDirectory:
                    changes.CreateDirectory(inRoot, Directory.Exists(path) ? File.GetUnixFileMode(path) : FileModes.Directory);
                    current = path;
                    break;
                case EntryKind.Missing:
                    // The source is the path as given: on the host it names the file this walk stands for.
                    changes.CopyFile(hostPath, inRoot);
                    return;
                case EntryKind.Symlink when isLast && !endsInDirectory && FileSystemEntry.LinkText(inRoot) != HostLinkText(path):
                    // A rootfs link that differs from the host's (busybox's bin/sh -> busybox, when the host's /bin/sh is
                    // wanted) is replaced rather than followed, or the host file would overwrite whatever it points to.
                    changes.Replace(inRoot);
                    pending.Push(name);
                    break;
                case EntryKind.Symlink:
                    if (++symlinksFollowed > MaxSymlinks)
                    {
                        throw new ContainerPSException("RootFsSymlinkLoop", FailureKind.InvalidOperation,
                            $"Cannot place '{hostPath}' in the rootfs '{root}': more than {MaxSymlinks} symlinks on the way (a symlink loop at '{path}'?).", path);
                    }
                    var linkText = FileSystemEntry.LinkText(inRoot)!;
                    if (linkText.StartsWith('/'))
                    {
                        current = "/";
                    }
                    PushComponents(pending, linkText);
                    break;
                case EntryKind.Directory when isLast && !endsInDirectory:
                    throw new ContainerPSException("RootFsPathConflict", FailureKind.InvalidOperation,
                        $"Cannot copy '{hostPath}' into the rootfs '{root}': '{path}' is a directory there, where the host has a file.", path);
                case EntryKind.Directory:
                    current = path;
                    break;
                case EntryKind.File when isLast && !endsInDirectory:
                    ReplaceFile(hostPath, inRoot);
                    return;
                case EntryKind.File:
                    throw new ContainerPSException("RootFsPathConflict", FailureKind.InvalidOperation,
                        $"Cannot place '{hostPath}' in the rootfs '{root}': '{path}' is a file there, where a directory is needed.", path);
            }
        }
        if (!endsInDirectory)
        {
            throw new ContainerPSException("RootFsPathConflict", FailureKind.InvalidOperation, $"Cannot copy '{hostPath}' into the rootfs '{root}': the path names a directory, not a file.", hostPath);
        }
    }

    // A file already there from an earlier build is kept when it is the same; a different one (an older library) is replaced.
    private void ReplaceFile(string hostPath, string inRoot)
    {
        if (!SameContent(hostPath, inRoot))
        {
            changes.Replace(inRoot);
            changes.CopyFile(hostPath, inRoot);
        }
    }

    private static bool SameContent(string first, string second)
    {
        using var a = File.OpenRead(first);
        using var b = File.OpenRead(second);
        if (a.Length != b.Length)
        {
            return false;
        }
        var bufferA = new byte[81920];
        var bufferB = new byte[81920];
        int read;
        while ((read = a.ReadAtLeast(bufferA, bufferA.Length, throwOnEndOfStream: false)) > 0)
        {
            b.ReadExactly(bufferB, 0, read);
            if (!bufferA.AsSpan(0, read).SequenceEqual(bufferB.AsSpan(0, read)))
            {
                return false;
            }
        }
        return true;
    }

    // The host's own symlink at the same path, if any. A component that is a file on the host (ENOTDIR) counts as none.
    private static string? HostLinkText(string path)
    {
        try
        {
            return FileSystemEntry.LinkText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void PushComponents(Stack<string> pending, string path)
    {
        var names = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = names.Length - 1; i >= 0; i--)
        {
            if (names[i] != ".")
            {
                pending.Push(names[i]);
            }
        }
    }

    private static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
