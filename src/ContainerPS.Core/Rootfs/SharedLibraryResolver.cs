namespace ContainerPS.Core.Rootfs;

/// <summary>
/// Finds the host file a DT_NEEDED name refers to, searching where the host's glibc loader (ld.so)
/// searches: the requesting object's DT_RUNPATH, or else the DT_RPATHs up its chain of loaders;
/// then the directories of /etc/ld.so.conf (what ld.so.cache indexes); then the loader's built-in
/// directories. LD_LIBRARY_PATH is deliberately not read: a rootfs must not depend on the
/// environment of whoever happened to build it.
/// </summary>
public sealed class SharedLibraryResolver
{
    public SharedLibraryResolver(IEnumerable<string> configuredDirectories)
    {
        ConfiguredDirectories = configuredDirectories.ToArray();
    }

    /// <summary>The loader's built-in directories, searched last; Debian's multiarch directories come first.</summary>
    public static IReadOnlyList<string> DefaultDirectories { get; } =
        [$"/lib/{HostMachine.Triplet}", $"/usr/lib/{HostMachine.Triplet}", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    /// <summary>The directories from ld.so.conf, searched after the object's own paths.</summary>
    public IReadOnlyList<string> ConfiguredDirectories { get; }

    /// <summary>A resolver configured from this host's /etc/ld.so.conf.</summary>
    public static SharedLibraryResolver ForHost() => new(LdSoConf.ReadDirectories());

    /// <summary>
    /// The host path of the library <paramref name="needed"/> names, as the loader would find it for the
    /// program at <paramref name="programPath"/>; null when no searched directory holds a loadable match.
    /// </summary>
    public string? Resolve(string needed, string programPath) =>
        Resolve(needed, new LoadedObject(programPath, ElfFile.Read(programPath), Loader: null));

    internal string? Resolve(string needed, LoadedObject requester)
    {
        // A name with a slash is a path: the loader opens it as given, without searching.
        if (needed.Contains('/'))
        {
            var path = ExpandOrigin(needed, requester);
            return path.StartsWith('/') && IsLoadable(path) ? Path.GetFullPath(path) : null;
        }
        foreach (var directory in SearchDirectories(requester))
        {
            var candidate = Path.Join(directory, needed);
            if (IsLoadable(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }
        return null;
    }

    /// <summary>The directories searched for the needs of <paramref name="requester"/>, in the loader's order.</summary>
    internal IReadOnlyList<string> SearchDirectories(LoadedObject requester)
    {
        var directories = new List<string>();
        // DT_RUNPATH supersedes DT_RPATH: an object with a RUNPATH searches that alone; one without
        // searches its own RPATH, then the RPATHs of the objects that loaded it, skipping any with a RUNPATH.
        if (requester.Elf.RunPath is { } runPath)
        {
            directories.AddRange(SplitSearchPath(runPath, requester));
        }
        else
        {
            for (var loaded = requester; loaded is not null; loaded = loaded.Loader)
            {
                if (loaded.Elf.RunPath is null && loaded.Elf.RPath is { } rPath)
                {
                    directories.AddRange(SplitSearchPath(rPath, loaded));
                }
            }
        }
        directories.AddRange(ConfiguredDirectories);
        directories.AddRange(DefaultDirectories);
        return directories.Distinct(StringComparer.Ordinal).ToArray();
    }

    // Relative entries would name directories relative to wherever the program is later started, which
    // a build cannot know; other tokens ($LIB, $PLATFORM) are left as written and so match nothing.
    private static IEnumerable<string> SplitSearchPath(string searchPath, LoadedObject owner) =>
        searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => ExpandOrigin(entry, owner))
            .Where(entry => entry.StartsWith('/'));

    private static string ExpandOrigin(string text, LoadedObject owner) =>
        text.Contains('$')
            ? text.Replace("${ORIGIN}", owner.Origin, StringComparison.Ordinal).Replace("$ORIGIN", owner.Origin, StringComparison.Ordinal)
            : text;

    // The loader skips a file of the wrong class or machine (a 32-bit library, say) and keeps searching.
    private static bool IsLoadable(string path) => File.Exists(path) && ElfFile.IsSupported(path);
}
