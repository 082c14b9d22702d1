using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// Builds root filesystem directories for containers: a small system from one busybox binary, or
/// chosen host programs together with the loader and libraries they need. Every program and library
/// is found before anything is written, and a build that fails midway removes what it made.
/// </summary>
public static class RootFsBuilder
{
    public const string DefaultBusybox = "/bin/busybox";

    // The directories a shell's PATH looks in, mirrored from the host so that usrmerge links
    // (bin -> usr/bin on Debian 12) make /bin/bash and /usr/bin/bash one file, as on the host.
    private static readonly string[] HostProgramDirectories = ["/bin", "/sbin", "/usr/bin"];

    /// <summary>
    /// Makes <paramref name="path"/> (new, or an existing empty directory) a busybox system: the skeleton
    /// directories, /bin/busybox with links for its common applets, /etc/passwd and /etc/group.
    /// </summary>
    /// <exception cref="FileNotFoundException"><paramref name="busyboxBinary"/> does not exist.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a file or a directory that is not empty.</exception>
    public static RootFs CreateBusybox(string path, string busyboxBinary = DefaultBusybox)
    {
        var root = RootFsDirectory.FullPath(path);
        var busybox = FindBusybox(busyboxBinary);
        // Debian's "busybox" package is dynamically linked; it runs only with its loader and libc beside it.
        var libraries = DependencyClosure.Collect(busybox, SharedLibraryResolver.ForHost());
        Build(root, createsDirectory: true, changes =>
        {
            RootFsSkeleton.Create(root, changes);
            BusyboxLayout.Install(root, busybox, changes);
            var mirror = new HostPathMirror(root, changes);
            foreach (var library in libraries)
            {
                mirror.CopyFile(library);
            }
        });
        return Describe(root, RootFs.BusyboxSource, [BusyboxLayout.BinaryPath]);
    }

    /// <summary>Makes <paramref name="path"/> (new, or an existing empty directory) a rootfs holding only the given host programs.</summary>
    /// <param name="binaries">Command names looked up on PATH (bash) or absolute paths (/usr/bin/bash).</param>
    public static RootFs CreateFromHost(string path, IEnumerable<string> binaries)
    {
        var root = RootFsDirectory.FullPath(path);
        var programs = FindHostPrograms(binaries);
        Build(root, createsDirectory: true, changes =>
        {
            RootFsSkeleton.Create(root, changes);
            var mirror = new HostPathMirror(root, changes);
            foreach (var directory in HostProgramDirectories)
            {
                mirror.EnsureDirectory(directory);
            }
            CopyPrograms(mirror, programs);
        });
        return Describe(root, RootFs.HostSource, programs.Select(program => program.Path));
    }

    /// <summary>
    /// Copies host programs into the existing rootfs at <paramref name="path"/>, each at its host path,
    /// with its ELF interpreter and library closure at theirs (symlinks on the way recreated).
    /// </summary>
    /// <param name="binaries">Command names looked up on PATH (bash) or absolute paths (/usr/bin/bash).</param>
    public static RootFs AddHostBinaries(string path, IEnumerable<string> binaries)
    {
        var root = RootFsDirectory.RequireExisting(path);
        var programs = FindHostPrograms(binaries);
        Build(root, createsDirectory: false, changes => CopyPrograms(new HostPathMirror(root, changes), programs));
        return Describe(root, RootFs.HostSource, programs.Select(program => program.Path));
    }

    private static string FindBusybox(string busyboxBinary)
    {
        if (string.IsNullOrWhiteSpace(busyboxBinary))
        {
            throw new ContainerPSException("InvalidBusyboxPath", FailureKind.InvalidArgument, $"The busybox binary path is empty. Give a path such as {DefaultBusybox}.", busyboxBinary);
        }
        var path = Path.GetFullPath(busyboxBinary);
        return FileSystemEntry.IsFileFollowingLinks(path)
            ? path
            : throw new ContainerPSException("BusyboxNotFound", FailureKind.ObjectNotFound,
                $"The busybox binary '{path}' does not exist. Install a static busybox with 'apt-get install busybox-static' " +
                "(it provides /bin/busybox), or give the path of another busybox binary.",
                path);
    }

    // Resolving every program and library up front fails a build with a missing one before anything is written.
    private static HostProgram[] FindHostPrograms(IEnumerable<string> binaries)
    {
        ArgumentNullException.ThrowIfNull(binaries);
        var resolver = SharedLibraryResolver.ForHost();
        var programs = binaries.Select(binary => HostProgram.Find(binary, resolver)).ToArray();
        return programs.Length > 0
            ? programs
            : throw new ContainerPSException("HostBinaryRequired", FailureKind.InvalidArgument, "No host binaries were given. Name at least one, such as bash or /usr/bin/env.");
    }

    private static void CopyPrograms(HostPathMirror mirror, HostProgram[] programs)
    {
        foreach (var file in programs.SelectMany(program => program.Files).Distinct(StringComparer.Ordinal))
        {
            mirror.CopyFile(file);
        }
    }

    private static void Build(string root, bool createsDirectory, Action<RootFsChanges> build)
    {
        var changes = new RootFsChanges();
        try
        {
            if (createsDirectory)
            {
                RootFsDirectory.CreateEmpty(root, changes);
            }
            build(changes);
        }
        catch (Exception failure)
        {
            changes.RollBack(failure);
            throw;
        }
        changes.Commit();
    }

    private static RootFs Describe(string root, string source, IEnumerable<string> binaries) => new()
    {
        Path = root,
        Source = source,
        Binaries = binaries.Distinct(StringComparer.Ordinal).ToArray(),
        SizeBytes = RootFsDirectory.MeasureBytes(root),
    };
}
