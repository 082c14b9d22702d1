using System.Formats.Tar;
using System.IO.Compression;
using ContainerPS.Core.Images;

namespace ContainerPS.Core.Tests.Images;

/// <summary>Layer tars written with System.Formats.Tar, stored as blobs the way an import stores them.</summary>
internal static class LayerTar
{
    public static byte[] Of(Action<TarWriter> write, bool gzip = false)
    {
        using var buffer = new MemoryStream();
        using (Stream target = gzip ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : new NonClosing(buffer))
        using (var writer = new TarWriter(target, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }
        return buffer.ToArray();
    }

    public static void File(this TarWriter w, string name, string content, int uid = 0, int gid = 0, UnixFileMode mode = (UnixFileMode)0x1a4)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Uid = uid, Gid = gid, Mode = mode };
        w.WriteEntry(entry);
    }

    public static void Dir(this TarWriter w, string name) => w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0x1ed });

    public static void Link(this TarWriter w, TarEntryType type, string name, string target) => w.WriteEntry(new PaxTarEntry(type, name) { LinkName = target });

    /// <summary>The blob in the store and the diff_id of its tar, as a config would give it.</summary>
    public static (Digest Blob, Digest DiffId) Store(ImageStore store, byte[] blob)
    {
        store.Prepare();
        var digest = BlobWriter.Put(store, new MemoryStream(blob), null, blob.Length, "test layer");
        using var file = System.IO.File.OpenRead(store.BlobPath(digest));
        using var stream = LayerUnpacker.Decompressed(file, $"layer {digest}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return (digest, Digest.Of(copy.ToArray()));
    }

    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
