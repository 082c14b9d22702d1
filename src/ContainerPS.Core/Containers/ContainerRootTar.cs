using System.Formats.Tar;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// A directory tree as tar entries, walked without following symlinks, parents before children: Export-Container's
/// merged root, and New-ContainerImage's upper layer, where overlayfs's whiteouts (0:0 character devices) become
/// the OCI ".wh.NAME" and an opaque directory (trusted.overlay.opaque=y) a ".wh..wh..opq" inside it.
/// </summary>
internal static class ContainerRootTar
{
    public static void Write(TarWriter writer, string root, bool overlayUpper)
    {
        foreach (var path in Walk(root))
        {
            var name = Path.GetRelativePath(root, path);
            if (overlayUpper && Sys.TryLstat(path, out var st) && ((uint)st.st_mode & 0xF000) == 0x2000 /* S_IFCHR */ && (ulong)st.st_rdev == 0)
            {
                var parent = Path.GetDirectoryName(name);
                var whiteout = ".wh." + Path.GetFileName(name);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, string.IsNullOrEmpty(parent) ? whiteout : parent + "/" + whiteout));
                continue;
            }
            var isDirectory = Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null;
            writer.WriteEntry(path, isDirectory ? name + "/" : name);
            if (overlayUpper && isDirectory && Sys.TryGetAttribute(path, "trusted.overlay.opaque") == "y")
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name + "/.wh..wh..opq"));
            }
        }
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
