using System.Formats.Tar;
using System.Text.Json;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>The two forms Export-ContainerImage writes.</summary>
public enum ImageExportFormat
{
    /// <summary>An OCI image layout (oci-layout, index.json, blobs/sha256), as a directory or, for a path ending in .tar, a tar.</summary>
    OciLayout,

    /// <summary>docker save's archive: manifest.json with Config, RepoTags and Layers, and the blobs it names.</summary>
    DockerArchive,
}

/// <summary>
/// Export-ContainerImage, docker save: the stored blobs as they are (so the digests a registry or an import gave
/// them stay theirs), with the documents each format names them by. Written under a temporary name beside the target
/// and renamed into place, so a cut-off export leaves no half archive under the name asked for.
/// </summary>
public static class ImageExport
{
    public static void Run(ImageStore store, IReadOnlyList<ContainerImage> images, string path, ImageExportFormat format)
    {
        var temp = ExportTarget.Partial(path);
        ExportTarget.Check(path);
        if (new[] { ".gz", ".tgz", ".zip", ".zst", ".xz" }.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ContainerPSException("ExportCompressionUnsupported", FailureKind.InvalidArgument,
                $"'{path}' names a compressed file, but an image is written as a directory or a plain .tar (its layers are compressed already). Give a directory or a path ending in .tar.", path);
        }
        // A partial export a kill left is stale: it goes before this one writes.
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
        File.Delete(temp);
        // Shared with imports, exclusive for a collection: no blob written out can be taken away meanwhile.
        using var content = store.UseContent();
        var files = format == ImageExportFormat.OciLayout ? OciLayoutFiles(store, images) : DockerArchiveFiles(store, images);
        try
        {
            if (format == ImageExportFormat.OciLayout && !path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
            {
                WriteDirectory(store, temp, files);
                Directory.Move(temp, path);
            }
            else
            {
                WriteTar(store, temp, files);
                File.Move(temp, path);
            }
        }
        catch
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>(name in the export, the bytes or the store file that fills it), in the order a reader wants them.</summary>
    private sealed record ExportFile(string Name, byte[]? Bytes, string? Source);

    private static List<ExportFile> OciLayoutFiles(ImageStore store, IReadOnlyList<ContainerImage> images)
    {
        var files = new List<ExportFile> { new("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray(), null) };
        using var index = new MemoryStream();
        using (var w = new Utf8JsonWriter(index))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", MediaTypes.OciIndex);
            w.WriteStartArray("manifests");
            // A tag names one image in a layout; two exported names with the same tag are each named in full instead.
            var tags = images.SelectMany(i => i.Names).GroupBy(n => ImageReference.Parse(n).Tag).ToDictionary(g => g.Key, g => g.Count());
            foreach (var image in images)
            {
                foreach (var name in image.Names.DefaultIfEmpty(null))
                {
                    var manifest = Digest.Parse(image.Digest, $"image {image}");
                    w.WriteStartObject();
                    w.WriteString("mediaType", image.ManifestMediaType);
                    w.WriteString("digest", image.Digest);
                    w.WriteNumber("size", new FileInfo(store.BlobPath(manifest)).Length);
                    if (name is not null)
                    {
                        w.WriteStartObject("annotations");
                        w.WriteString("io.containerd.image.name", name);
                        var tag = ImageReference.Parse(name).Tag;
                        w.WriteString("org.opencontainers.image.ref.name", tags[tag] == 1 ? tag : name);
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        files.Add(new ExportFile("index.json", index.ToArray(), null));
        files.AddRange(BlobsOf(store, images).Select(d => new ExportFile($"blobs/sha256/{d.Hex}", null, store.BlobPath(d))));
        return files;
    }

    private static List<ExportFile> DockerArchiveFiles(ImageStore store, IReadOnlyList<ContainerImage> images)
    {
        using var manifest = new MemoryStream();
        using (var w = new Utf8JsonWriter(manifest))
        {
            w.WriteStartArray();
            foreach (var image in images)
            {
                w.WriteStartObject();
                w.WriteString("Config", $"blobs/sha256/{image.ImageDigest.Hex}");
                w.WriteStartArray("RepoTags");
                foreach (var name in image.Names)
                {
                    w.WriteStringValue(name);
                }
                w.WriteEndArray();
                w.WriteStartArray("Layers");
                foreach (var layer in image.Layers)
                {
                    w.WriteStringValue($"blobs/sha256/{Digest.Parse(layer.Digest, $"image {image}").Hex}");
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        var blobs = images.SelectMany(i => i.Layers.Select(l => Digest.Parse(l.Digest, $"image {i}")).Prepend(i.ImageDigest)).Distinct();
        return blobs.Select(d => new ExportFile($"blobs/sha256/{d.Hex}", null, store.BlobPath(d)))
            .Append(new ExportFile("manifest.json", manifest.ToArray(), null)).ToList();
    }

    private static IEnumerable<Digest> BlobsOf(ImageStore store, IReadOnlyList<ContainerImage> images) =>
        images.SelectMany(i => i.Layers.Select(l => Digest.Parse(l.Digest, $"image {i}")).Prepend(i.ImageDigest).Prepend(Digest.Parse(i.Digest, $"image {i}")))
            .Distinct()
            .Select(d => store.HasBlob(d) ? d : throw new ContainerPSException("ImageBlobMissing", FailureKind.ObjectNotFound,
                $"Blob {d} is missing from the image store at {store.BlobPath(d)}. Import or pull the image again.", d.ToString()));

    /// <summary>Each blob is checked again before it is written out, so an export never passes on one the disk has changed.</summary>
    private static void Verify(ImageStore store, ExportFile file)
    {
        var digest = new Digest(Path.GetFileName(file.Name));
        Digest actual;
        using (var stream = File.OpenRead(file.Source!))
        {
            actual = Digest.Of(stream);
        }
        if (actual != digest)
        {
            throw ImageAssembly.StoredBlobDamaged(store, digest, actual);
        }
    }

    private static void WriteDirectory(ImageStore store, string dir, List<ExportFile> files)
    {
        foreach (var file in files)
        {
            var target = Path.Combine(dir, file.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (file.Bytes is not null)
            {
                File.WriteAllBytes(target, file.Bytes);
            }
            else
            {
                Verify(store, file);
                File.Copy(file.Source!, target);
            }
        }
    }

    private static void WriteTar(ImageStore store, string path, List<ExportFile> files)
    {
        using var stream = File.Create(path);
        using var writer = new TarWriter(stream, TarEntryFormat.Pax);
        foreach (var dir in files.Select(f => Path.GetDirectoryName(f.Name)!).Where(d => d.Length > 0).Distinct())
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = (UnixFileMode)0x1ed });
        }
        foreach (var file in files)
        {
            if (file.Source is not null)
            {
                Verify(store, file);
            }
            using var data = file.Bytes is not null ? new MemoryStream(file.Bytes) : (Stream)File.OpenRead(file.Source!);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, file.Name) { DataStream = data, Mode = (UnixFileMode)0x1a4 });
        }
    }
}
