using System.Formats.Tar;
using System.Text;
using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Images;

/// <summary>
/// Writes a layer's tar entries into its directory as overlayfs reads a lower layer: the OCI whiteout ".wh.NAME"
/// becomes overlayfs's whiteout (a 0:0 character device NAME), the opaque marker ".wh..wh..opq" the directory's
/// trusted.overlay.opaque=y. Every entry is made relative to a descriptor of its parent directory, opened
/// beneath the layer's root (openat2 RESOLVE_BENEATH), so neither "../" nor a symlink made by an earlier entry can
/// lead a write out of the layer. Owners, modes, times, device numbers, hard links and extended attributes are kept.
/// </summary>
internal sealed class LayerTree(SafeFd root, string layer)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private readonly List<(string Path, DateTimeOffset Time)> _directoryTimes = [];
    private readonly byte[] _buffer = new byte[128 * 1024];

    public void Apply(TarEntry entry)
    {
        var path = Normalize(entry.Name, entry.Name);
        if (path.Length == 0)
        {
            return; // "./": the layer's root is the container's, owned and moded by the runtime
        }
        var slash = path.LastIndexOf('/');
        var (parentPath, name) = slash < 0 ? ("", path) : (path[..slash], path[(slash + 1)..]);
        using var parent = Directory(parentPath, entry.Name);
        if (name == OpaqueMarker)
        {
            Sys.SetAttributeAt(parent, ".", "trusted.overlay.opaque", "y"u8);
            return;
        }
        if (name.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
        {
            return; // aufs's own bookkeeping (.wh..wh.plnk and the like), not content
        }
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            var hidden = name[WhiteoutPrefix.Length..];
            if (hidden is "" or "." or "..")
            {
                throw new ContainerPSException("ImageLayerEntryInvalid", FailureKind.InvalidData,
                    $"Layer {layer} holds '{entry.Name}', a whiteout that names no file.", entry.Name);
            }
            Remove(parent, hidden);
            Sys.MakeNodeAt(parent, hidden, (uint)S_IFCHR, 0);
            return;
        }
        if (!(entry.EntryType == TarEntryType.Directory && IsDirectory(parent, name)))
        {
            Remove(parent, name);
        }
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                WriteFile(parent, name, entry);
                break;
            case TarEntryType.Directory:
                Sys.MakeDirectoryAt(parent, name, 0x1ed /* 0755 until its own mode is set */);
                _directoryTimes.Add((path, entry.ModificationTime));
                break;
            case TarEntryType.SymbolicLink:
                Sys.SymlinkAt(entry.LinkName, parent, name);
                break;
            case TarEntryType.HardLink:
                using (var target = Sys.OpenBeneath(root, Normalize(entry.LinkName, entry.Name), O_PATH | O_NOFOLLOW, Sys.ResolveBeneath | Sys.ResolveNoMagicLinks))
                {
                    Sys.LinkAt(target, parent, name);
                }
                return; // the inode keeps the metadata of the entry it was made by
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                var type = entry.EntryType switch { TarEntryType.CharacterDevice => (uint)S_IFCHR, TarEntryType.BlockDevice => (uint)S_IFBLK, _ => (uint)S_IFIFO };
                var device = entry is PosixTarEntry posix ? Makedev((uint)posix.DeviceMajor, (uint)posix.DeviceMinor) : 0;
                Sys.MakeNodeAt(parent, name, type | 0x180, device);
                break;
            default:
                throw new ContainerPSException("ImageLayerEntryUnsupported", FailureKind.InvalidData,
                    $"Layer {layer} holds '{entry.Name}', a tar entry of type {entry.EntryType}, which an image layer does not use.", entry.Name);
        }
        Sys.ChownAt(parent, name, (uint)entry.Uid, (uint)entry.Gid);
        SetAttributes(parent, name, entry);
        if (entry.EntryType != TarEntryType.SymbolicLink)
        {
            Sys.ChmodAt(parent, name, (uint)entry.Mode); // after chown, which clears setuid and setgid
        }
        if (entry.EntryType != TarEntryType.Directory)
        {
            Sys.SetTimesAt(parent, name, entry.ModificationTime);
        }
    }

    /// <summary>Directory times last, since making their entries changed them.</summary>
    public void Finish()
    {
        foreach (var (path, time) in Enumerable.Reverse(_directoryTimes))
        {
            var slash = path.LastIndexOf('/');
            using var parent = Directory(slash < 0 ? "" : path[..slash], path);
            Sys.SetTimesAt(parent, slash < 0 ? path : path[(slash + 1)..], time);
        }
    }

    /// <summary>A tar name as a path below the layer's root: "./", "/" and "." parts dropped; any ".." refused.</summary>
    private string Normalize(string name, string entryName)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
        {
            throw Escapes(entryName, $"its path '{name}' climbs out with '..'");
        }
        return string.Join('/', parts);
    }

    /// <summary>The parent directory, opened beneath the root; directories the tar did not list are made (0755, root's), as docker does.</summary>
    private SafeFd Directory(string path, string entryName)
    {
        try
        {
            return Sys.OpenBeneath(root, path, O_PATH | O_DIRECTORY, Sys.ResolveBeneath | Sys.ResolveNoMagicLinks);
        }
        catch (NativeException e) when (e.Errno == (int)Errno.ENOENT)
        {
            var current = Sys.OpenBeneath(root, "", O_PATH | O_DIRECTORY, Sys.ResolveBeneath);
            foreach (var part in path.Split('/'))
            {
                using var above = current;
                Sys.MakeDirectoryAt(above, part, 0x1ed);
                current = OpenChild(above, part, entryName);
            }
            return current;
        }
        catch (NativeException e) when (e.Errno is (int)Errno.EXDEV or (int)Errno.ELOOP)
        {
            throw Escapes(entryName, $"its directory '{path}' goes through a symbolic link that leaves the layer");
        }
        catch (NativeException e) when (e.Errno == (int)Errno.ENOTDIR)
        {
            throw new ContainerPSException("ImageLayerEntryInvalid", FailureKind.InvalidData,
                $"Layer {layer} holds '{entryName}', but '{path}' in that layer is not a directory.", entryName);
        }
    }

    private SafeFd OpenChild(SafeFd dir, string name, string entryName)
    {
        try
        {
            return Sys.OpenBeneath(dir, name, O_PATH | O_DIRECTORY, Sys.ResolveBeneath | Sys.ResolveNoMagicLinks);
        }
        catch (NativeException e) when (e.Errno is (int)Errno.EXDEV or (int)Errno.ELOOP)
        {
            throw Escapes(entryName, $"'{name}' on its path is a symbolic link that leaves the layer");
        }
    }

    private void WriteFile(SafeFd parent, string name, TarEntry entry)
    {
        using var file = Sys.CreateFileAt(parent, name, 0x180);
        if (entry.DataStream is not { } data)
        {
            return;
        }
        int read;
        while ((read = data.Read(_buffer)) > 0)
        {
            Sys.WriteAll(file, _buffer.AsSpan(0, read), name);
        }
    }

    /// <summary>
    /// Extended attributes from the PAX header: GNU tar's and Go's "SCHILY.xattr.NAME" (value as text; .NET hands
    /// PAX values over decoded as UTF-8, so a binary value that is not valid UTF-8 cannot be had exactly and is refused)
    /// and libarchive's "LIBARCHIVE.xattr.NAME" (base64, exact).
    /// </summary>
    private void SetAttributes(SafeFd parent, string name, TarEntry entry)
    {
        if (entry is not PaxTarEntry pax)
        {
            return;
        }
        foreach (var (key, value) in pax.ExtendedAttributes)
        {
            byte[] bytes;
            string attribute;
            if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
            {
                attribute = key["SCHILY.xattr.".Length..];
                if (value.Contains('\uFFFD'))
                {
                    throw new ContainerPSException("ImageLayerAttributeUnreadable", FailureKind.InvalidData,
                        $"Layer {layer} gives '{entry.Name}' the extended attribute {attribute} as bytes that are not UTF-8 text, which .NET's tar reader cannot hand over exactly.", entry.Name);
                }
                bytes = Encoding.UTF8.GetBytes(value);
            }
            else if (key.StartsWith("LIBARCHIVE.xattr.", StringComparison.Ordinal))
            {
                attribute = Uri.UnescapeDataString(key["LIBARCHIVE.xattr.".Length..]);
                bytes = Convert.FromBase64String(value);
            }
            else
            {
                continue;
            }
            if (attribute.StartsWith("trusted.overlay.", StringComparison.Ordinal))
            {
                continue; // overlayfs's own markers (redirects, metacopy) are the unpacker's to set, never a tar's
            }
            Sys.SetAttributeAt(parent, name, attribute, bytes);
        }
    }

    private static bool IsDirectory(SafeFd parent, string name)
    {
        try
        {
            using var _ = Sys.OpenBeneath(parent, name, O_PATH | O_DIRECTORY | O_NOFOLLOW, Sys.ResolveBeneath);
            return true;
        }
        catch (NativeException)
        {
            return false;
        }
    }

    /// <summary>An entry that replaces one of the same name made earlier in this layer (a later tar entry wins).</summary>
    private static void Remove(SafeFd parent, string name)
    {
        if (IsDirectory(parent, name))
        {
            System.IO.Directory.Delete($"/proc/self/fd/{parent.Value}/{name}", recursive: true);
        }
        else
        {
            Sys.TryUnlinkAt(parent, name, directory: false);
        }
    }

    private static ulong Makedev(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    private ContainerPSException Escapes(string entryName, string why) =>
        new("ImageLayerEntryEscapes", FailureKind.InvalidData,
            $"Layer {layer} holds '{entryName}', and {why}: an entry may only write inside its layer. Nothing of the layer was kept.", entryName);
}
