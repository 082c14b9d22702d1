using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// The host files an ELF program needs at run time besides itself: its program interpreter (the
/// dynamic loader) and every library in the transitive DT_NEEDED closure, found as the loader finds
/// them and listed in the loader's breadth-first order. A static program needs none.
/// </summary>
public static class DependencyClosure
{
    /// <exception cref="FileNotFoundException">The interpreter or a needed library is not on this host.</exception>
    /// <exception cref="ElfFormatException">The program or one of its libraries is not a readable ELF object for the host's machine.</exception>
    public static IReadOnlyList<string> Collect(string programPath, SharedLibraryResolver resolver)
    {
        var program = new LoadedObject(programPath, ElfFile.Read(programPath), Loader: null);
        var files = new List<string>();
        // The loader loads each name once: a later DT_NEEDED of a name already loaded reuses that file
        // even where the later object's own search path would find another.
        var loadedNames = new HashSet<string>(StringComparer.Ordinal);
        if (program.Elf.Interpreter is { } interpreter)
        {
            if (!FileSystemEntry.IsFileFollowingLinks(interpreter))
            {
                throw new ContainerPSException("InterpreterNotFound", FailureKind.ObjectNotFound,
                    $"'{programPath}' names the ELF interpreter '{interpreter}', which does not exist on this host.", interpreter);
            }
            files.Add(interpreter);
            // The loader is already in memory under its own name; libc's DT_NEEDED on it loads nothing new.
            loadedNames.Add(Path.GetFileName(interpreter));
        }

        var queue = new Queue<LoadedObject>([program]);
        while (queue.TryDequeue(out var requester))
        {
            foreach (var needed in requester.Elf.Needed)
            {
                if (!loadedNames.Add(needed))
                {
                    continue;
                }
                var path = resolver.Resolve(needed, requester) ?? throw NotFound(needed, requester, resolver);
                if (!files.Contains(path, StringComparer.Ordinal))
                {
                    files.Add(path);
                    queue.Enqueue(new LoadedObject(path, ElfFile.Read(path), requester));
                }
            }
        }
        return files;
    }

    private static ContainerPSException NotFound(string needed, LoadedObject requester, SharedLibraryResolver resolver) =>
        new("SharedLibraryNotFound", FailureKind.ObjectNotFound, $"The library '{needed}', needed by '{requester.Path}', was not found in any directory the loader searches " +
            $"({string.Join(", ", resolver.SearchDirectories(requester))}). Install the package that provides it, " +
            "or list its directory in /etc/ld.so.conf.d/.",
            needed);
}
