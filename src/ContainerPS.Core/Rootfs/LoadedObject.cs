namespace ContainerPS.Core.Rootfs;

/// <summary>
/// An ELF object the dependency walk has loaded, and the object whose DT_NEEDED loaded it
/// (null for the program itself). DT_RPATH is inherited down this chain.
/// </summary>
internal sealed record LoadedObject(string Path, ElfFile Elf, LoadedObject? Loader)
{
    /// <summary>
    /// What $ORIGIN expands to: the directory the object lives in. A final symlink is followed because
    /// the kernel hands the loader the resolved program path (/usr/bin/java -> /usr/lib/jvm/.../bin/java
    /// must find its libraries beside the real file, not beside the link).
    /// </summary>
    public string Origin =>
        System.IO.Path.GetDirectoryName(File.ResolveLinkTarget(Path, returnFinalTarget: true)?.FullName ?? Path) ?? "/";
}
