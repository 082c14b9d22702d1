using System.Formats.Tar;
using System.IO.Compression;
using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Images;

/// <summary>
/// Unpacks a layer blob into layers/DIFFID once per diff_id, however many images and pulls share it: under the
/// diff_id's lock, into tmp/DIFFID.layer (a stale one, left by a killed unpack, is removed first), hashing the
/// uncompressed tar as it is read, and renamed into place only when that hash is the diff_id the image's config
/// names. A layer directory, once there, is never written again.
/// </summary>
public static class LayerUnpacker
{
    public static void Unpack(ImageStore store, Digest blob, Digest diffId, Action<long>? progress = null)
    {
        using (store.LockDigest(diffId))
        {
            var final = store.LayerPath(diffId);
            if (Directory.Exists(final))
            {
                return;
            }
            var partial = store.TempPath(diffId.Hex + ".layer");
            RemoveTree(partial);
            Directory.CreateDirectory(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            try
            {
                var actual = Write(store.BlobPath(blob), partial, blob, progress);
                if (actual != diffId)
                {
                    throw new ContainerPSException("ImageDigestMismatch", FailureKind.InvalidData,
                        $"Layer {blob} unpacks to a tar whose digest is {actual}, but the image's config gives its diff_id as {diffId}: the layer or the config is not what the image was built from. Nothing was stored.", diffId.ToString());
                }
                Directory.Move(partial, final);
            }
            catch
            {
                RemoveTree(partial);
                throw;
            }
        }
    }

    /// <summary>The layer's tar, gzip-compressed or not, into <paramref name="dir"/>; returns the digest of the uncompressed tar.</summary>
    private static Digest Write(string blobPath, string dir, Digest blob, Action<long>? progress)
    {
        using var file = File.OpenRead(blobPath);
        var empty = file.Length == 0;
        using var tar = new HashingStream(Decompressed(file, $"Layer {blob}"));
        using var root = Sys.Open(dir, O_PATH | O_DIRECTORY);
        var tree = new LayerTree(root, blob.Short);
        try
        {
            using var reader = new TarReader(tar, leaveOpen: true);
            while (reader.GetNextEntry() is { } entry)
            {
                tree.Apply(entry);
                progress?.Invoke(file.Position);
            }
            tree.Finish();
            return tar.Finish();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new ContainerPSException("ImageLayerCorrupt", FailureKind.InvalidData,
                $"Layer {blob} cannot be read as a tar{(empty ? " (it is empty)" : "")}: {e.Message} Nothing of it was kept.", blob.ToString(), e);
        }
    }

    /// <summary>
    /// The tar in <paramref name="file"/>: gzip by its magic number (what media types say is not always what registries
    /// send); zstd refused by name. <paramref name="what"/> names the file in that refusal.
    /// </summary>
    public static Stream Decompressed(FileStream file, string what)
    {
        var magic = Magic(file);
        if (IsGzip(magic))
        {
            return new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        }
        if (magic.AsSpan().SequenceEqual(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }))
        {
            throw new ContainerPSException("ImageLayerCompressionUnsupported", FailureKind.InvalidData,
                $"{what} is zstd-compressed, which this store cannot unpack yet; gzip and uncompressed layers are supported.", what);
        }
        return file;
    }

    /// <summary>Whether the file is gzip-compressed (the media type a layer is stored under follows this).</summary>
    public static bool IsGzip(FileStream file) => IsGzip(Magic(file));

    private static bool IsGzip(byte[] magic) => magic.Length >= 2 && magic[0] == 0x1f && magic[1] == 0x8b;

    /// <summary>The file's first four bytes (fewer for a shorter file); its position is put back to the start.</summary>
    private static byte[] Magic(FileStream file)
    {
        var magic = new byte[4];
        var read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return magic[..read];
    }

    public static void RemoveTree(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
