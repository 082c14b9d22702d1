namespace ContainerPS.Core.Rootfs;

/// <summary>
/// What every rootfs gets whatever its programs: the mount points the runtime mounts over (proc, sys,
/// dev), /tmp, root's home, and an /etc/passwd and /etc/group naming root and nobody, so that id,
/// whoami and ls -l show names rather than numbers.
/// </summary>
internal static class RootFsSkeleton
{
    private const string Passwd =
        "root:x:0:0:root:/root:/bin/sh\n" +
        "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";

    private const string Group =
        "root:x:0:\n" +
        "nobody:x:65534:\n";

    private static readonly (string Name, UnixFileMode Mode)[] Directories =
    [
        ("proc", FileModes.Directory),
        ("sys", FileModes.Directory),
        ("dev", FileModes.Directory),
        ("tmp", FileModes.SharedScratchDirectory),
        ("etc", FileModes.Directory),
        ("root", FileModes.PrivateDirectory),
    ];

    public static void Create(string root, RootFsChanges changes)
    {
        foreach (var (name, mode) in Directories)
        {
            changes.CreateDirectory(Path.Join(root, name), mode);
        }
        changes.WriteFile(Path.Join(root, "etc/passwd"), Passwd);
        changes.WriteFile(Path.Join(root, "etc/group"), Group);
    }
}
