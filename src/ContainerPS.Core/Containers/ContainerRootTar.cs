using System.Formats.Tar;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// A directory tree as tar entries, walked without following symlinks, parents before children: Export-Container's
/// merged root, and New-ContainerImage's upper layer, where overlayfs's whiteouts (0:0 character devices) become
/// the OCI ".wh.NAME" and an opaque directory (trusted.overlay.opaque=y) a ".wh..wh..opq" inside it. Extended
/// attributes are not carried (.NET's tar writer takes them as text, which file capabilities are not).
/// </summary>
internal static class ContainerRootTar
{
    public static void Write(TarWriter writer, string root, bool overlayUpper)
    {
        foreach (var path in Walk(root))
        {
            var name = Path.GetRelativePath(root, path);
            if (!Sys.TryLstat(path, out var entry) || ((uint)entry.st_mode & 0xF000) == 0xC000 /* S_IFSOCK */)
            {
                continue; // gone meanwhile, or a socket, which a tar cannot hold (docker export leaves them out too)
            }
            if (overlayUpper && ((uint)entry.st_mode & 0xF000) == 0x2000 /* S_IFCHR */ && (ulong)entry.st_rdev == 0)
            {
                var parent = Path.GetDirectoryName(name);
                var whiteout = ".wh." + Path.GetFileName(name);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, string.IsNullOrEmpty(parent) ? whiteout : parent + "/" + whiteout));
                continue;
            }
            var isDirectory = ((uint)entry.st_mode & 0xF000) == 0x4000;
            if (((uint)entry.st_mode & 0xF000) == 0x8000 /* S_IFREG */)
            {
                WriteFile(writer, path, name, entry);
                continue;
            }
            writer.WriteEntry(path, isDirectory ? name + "/" : name);
            if (overlayUpper && isDirectory && Sys.TryGetAttribute(path, "trusted.overlay.opaque") == "y")
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name + "/.wh..wh..opq"));
            }
        }
    }

    /// <summary>
    /// A regular file, read through a descriptor of its own: TarWriter would open it by path with FileShare.Read,
    /// which .NET backs with a shared flock that fails on a file a container process holds locked.
    /// </summary>
    private static void WriteFile(TarWriter writer, string path, string name, Tmds.Linux.stat st)
    {
        using var fd = Sys.Open(path, Tmds.Linux.LibC.O_RDONLY | Tmds.Linux.LibC.O_NOFOLLOW);
        using var data = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd.DangerousGetHandle(), ownsHandle: false), FileAccess.Read);
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = (UnixFileMode)((uint)st.st_mode & 0xFFF),
            Uid = (int)(uint)st.st_uid,
            Gid = (int)(uint)st.st_gid,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds((long)st.st_mtim.tv_sec),
            DataStream = data,
        });
    }

    private static IEnumerable<string> Walk(string dir)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            yield return entry;
            if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null)
            {
                foreach (var below in Walk(entry))
                {
                    yield return below;
                }
            }
        }
    }
}
