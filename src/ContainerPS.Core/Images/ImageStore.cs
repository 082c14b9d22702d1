using System.Text.Json;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>
/// The image store, as containerd's content store and snapshots are laid out, on disk (images outlive a reboot):
/// <code>
/// ROOT/blobs/sha256/HEX     a blob (manifest, config, layer as shipped), only ever under its verified digest
/// ROOT/layers/HEX/          a layer unpacked, named by its diff_id, an overlayfs lower directory shared by all its users
/// ROOT/images/HEX.json      an image record, named by its config digest (the image id)
/// ROOT/tmp/                 blobs and layers being made: renamed into place once verified
/// ROOT/locks/HEX            a flock per digest: one writer makes a blob or layer, the others wait and find it made
/// ROOT/images.lock          held while records and their names change
/// ROOT/gc.lock              shared by imports and creates, exclusive for a collection: nothing is taken away mid-use
/// </code>
/// </summary>
public sealed class ImageStore
{
    public const string DefaultRoot = "/var/lib/containerps";

    public ImageStore(string root = DefaultRoot) => Root = root;

    public string Root { get; }

    /// <summary>The store under /var/lib/containerps, unless CONTAINERPS_IMAGE_ROOT names another (the tests' own).</summary>
    public static ImageStore Open() => new(Environment.GetEnvironmentVariable("CONTAINERPS_IMAGE_ROOT") ?? DefaultRoot);

    public string BlobPath(Digest digest) => Path.Combine(Root, "blobs", "sha256", digest.Hex);

    public string LayerPath(Digest diffId) => Path.Combine(Root, "layers", diffId.Hex);

    public string RecordPath(Digest id) => Path.Combine(Root, "images", id.Hex + ".json");

    public string TempPath(string name) => Path.Combine(Root, "tmp", name);

    public bool HasBlob(Digest digest) => File.Exists(BlobPath(digest));

    /// <summary>Makes the store's directories (0700: image contents are root's to read; overlayfs reads lowers as root).</summary>
    public void Prepare()
    {
        foreach (var dir in new[] { "", "blobs/sha256", "layers", "images", "tmp", "locks" })
        {
            Directory.CreateDirectory(Path.Combine(Root, dir), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Held while one blob or layer is made; another maker of the same digest waits, then finds it done.</summary>
    public IDisposable LockDigest(Digest digest) => FileLock.Take(Path.Combine(Root, "locks", digest.Hex));

    public IDisposable LockRecords() => FileLock.Take(Path.Combine(Root, "images.lock"));

    /// <summary>Shared by everything that adds to the store or uses it: a collection cannot remove a blob made but not yet recorded.</summary>
    public IDisposable UseContent() => FileLock.Take(Path.Combine(Root, "gc.lock"), exclusive: false);

    public IDisposable LockForCollection() => FileLock.Take(Path.Combine(Root, "gc.lock"));

    /// <summary>Every record; one that cannot be read is reported through <paramref name="damaged"/> and the others still listed.</summary>
    public IEnumerable<ContainerImage> Records(Action<RecordDamagedException>? damaged = null)
    {
        var dir = Path.Combine(Root, "images");
        if (!Directory.Exists(dir))
        {
            yield break;
        }
        foreach (var file in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            ContainerImage? image = null;
            try
            {
                image = ReadRecord(file);
            }
            catch (RecordDamagedException e)
            {
                damaged?.Invoke(e);
            }
            if (image is not null)
            {
                yield return image;
            }
        }
    }

    public ContainerImage? Record(Digest id) => File.Exists(RecordPath(id)) ? ReadRecord(RecordPath(id)) : null;

    public void WriteRecord(ContainerImage image) =>
        RecordFile.WriteAtomically(RecordPath(image.ImageDigest), JsonSerializer.SerializeToUtf8Bytes(image, ImageJson.Default.ContainerImage));

    public void DeleteRecord(ContainerImage image) => File.Delete(RecordPath(image.ImageDigest));

    private static ContainerImage? ReadRecord(string file) =>
        RecordFile.Read(file, bytes => JsonSerializer.Deserialize(bytes, ImageJson.Default.ContainerImage) ?? throw new JsonException("the file holds null"),
            e => RecordDamagedException.OfImage(Path.GetFileNameWithoutExtension(file), file, e));
}
