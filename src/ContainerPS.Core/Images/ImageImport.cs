using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>
/// Import-ContainerImage -Path: an OCI image layout (directory or tar), a docker-archive (directory or tar, as
/// docker save and skopeo write it) or a root filesystem tar (one layer, as docker import takes it). Every blob is
/// checked against its digest as it enters the store; layers are unpacked once per diff_id.
/// </summary>
public static class ImageImport
{
    /// <param name="name">The reference to give the image(s): required for a root filesystem tar, which names nothing itself.</param>
    public static IReadOnlyList<ContainerImage> FromPath(ImageStore store, string path, string? name, Action<ImportProgress>? progress = null)
    {
        var reference = name is null ? null : ImageReference.Parse(name).ToString();
        store.Prepare();
        using (store.UseContent())
        {
            if (Directory.Exists(path))
            {
                return FromDirectory(store, path, reference, progress);
            }
            if (!File.Exists(path))
            {
                throw new ContainerPSException("ImageSourceNotFound", FailureKind.ObjectNotFound, $"'{path}' does not exist.", path);
            }
            var kind = ImageArchive.Recognize(path);
            if (kind == ImageArchive.Kind.RootFs)
            {
                return [FromRootFsTar(store, path, reference ?? throw new ContainerPSException("ImageNameRequired", FailureKind.InvalidArgument,
                    $"'{path}' is a root filesystem tar, which names no image. Give the image a name with -Name, e.g. -Name myroot:1.0.", path), progress)];
            }
            var unpacked = store.TempPath("archive-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant());
            try
            {
                ImageArchive.Extract(path, unpacked);
                return FromDirectory(store, unpacked, reference, progress, Path.GetFileNameWithoutExtension(path));
            }
            finally
            {
                LayerUnpacker.RemoveTree(unpacked);
            }
        }
    }

    private static IReadOnlyList<ContainerImage> FromDirectory(ImageStore store, string dir, string? reference, Action<ImportProgress>? progress, string? label = null)
    {
        label ??= Path.GetFileName(Path.GetFullPath(dir).TrimEnd('/'));
        if (File.Exists(Path.Combine(dir, "manifest.json")))
        {
            return DockerArchive(store, dir, reference, progress);
        }
        if (File.Exists(Path.Combine(dir, "index.json")))
        {
            return OciLayout(store, dir, reference, label, progress);
        }
        throw new ContainerPSException("ImageFormatNotRecognized", FailureKind.InvalidData,
            $"'{dir}' is neither an OCI image layout (it has no index.json) nor a docker-archive (no manifest.json). A root filesystem directory runs with New-Container -RootFs.", dir);
    }

    /// <summary>
    /// Each manifest the index lists (an index inside it resolved to this machine's platform). Names: the
    /// io.containerd.image.name annotation, else org.opencontainers.image.ref.name (a tag, put after the layout's
    /// name, or a full reference), else -Name.
    /// </summary>
    private static IReadOnlyList<ContainerImage> OciLayout(ImageStore store, string dir, string? reference, string label, Action<ImportProgress>? progress)
    {
        var index = ImageIndex.Parse(File.ReadAllBytes(ImageArchive.Resolve(dir, "index.json", dir)), $"{dir}/index.json");
        // Chosen before anything is stored, so that -Name given for several images is refused with nothing made.
        var chosen = index.Manifests.Select(d => (Descriptor: d, Found: Choose(dir, d))).Where(c => c.Found.Manifest is not null).ToArray();
        if (chosen.Length == 0)
        {
            throw new ContainerPSException("ImagePlatformNotFound", FailureKind.ObjectNotFound,
                $"The OCI layout {dir} has no image for {HostPlatform.Name} (it lists {string.Join(", ", index.Manifests.Select(m => m.Platform))}).", dir);
        }
        RefuseNameForMany(reference, chosen.Length, dir);
        var images = new List<ContainerImage>();
        foreach (var (descriptor, (manifestBytes, manifest)) in chosen.Select(c => (c.Descriptor, (c.Found.Bytes, c.Found.Manifest!))))
        {
            foreach (var layer in manifest.Layers)
            {
                Copy(store, dir, layer, progress);
            }
            var config = Blob(dir, manifest.Config, "the config");
            images.Add(ImageAssembly.Complete(store, manifestBytes, manifest, config, NamesOf(descriptor, reference, label), $"{dir} ({descriptor.Digest.Short})", progress));
        }
        return images;
    }

    private static void RefuseNameForMany(string? reference, int count, string dir)
    {
        if (reference is not null && count > 1)
        {
            throw new ContainerPSException("ImageNameAmbiguous", FailureKind.InvalidArgument,
                $"-Name {reference} names one image, but {dir} holds {count}. Import without -Name, and each image keeps the names it has.", dir);
        }
    }

    /// <summary>A manifest from an index entry, following nested indexes to this platform's; null when the entry is for another platform.</summary>
    private static (byte[] Bytes, ImageManifest? Manifest) Choose(string dir, Descriptor descriptor)
    {
        if (descriptor.Os is not null && !HostPlatform.Matches(descriptor.Os, descriptor.Architecture))
        {
            return ([], null);
        }
        var bytes = Blob(dir, descriptor, "the manifest");
        if (!ImageManifest.IsIndex(bytes, descriptor.MediaType, $"manifest {descriptor.Digest}"))
        {
            return (bytes, ImageManifest.Parse(bytes, $"manifest {descriptor.Digest}", descriptor.MediaType));
        }
        var nested = ImageIndex.Parse(bytes, $"index {descriptor.Digest}");
        foreach (var inner in nested.Manifests.Where(m => HostPlatform.Matches(m.Os, m.Architecture)))
        {
            return Choose(dir, inner);
        }
        return ([], null);
    }

    private static string[] NamesOf(Descriptor descriptor, string? reference, string label)
    {
        if (reference is not null)
        {
            return [reference];
        }
        if (descriptor.Annotations.TryGetValue("io.containerd.image.name", out var full))
        {
            return [ImageReference.Parse(full).ToString()];
        }
        if (descriptor.Annotations.TryGetValue("org.opencontainers.image.ref.name", out var refName))
        {
            return [ImageReference.Parse(refName.Contains('/') || refName.Contains(':') ? refName : label.ToLowerInvariant() + ":" + refName).ToString()];
        }
        return [];
    }

    /// <summary>
    /// docker save's manifest.json: per image its config file, RepoTags and layer files, whose digests are learned as
    /// they are stored. The manifest the store keeps is the Docker v2 schema 2 one a registry would serve for it, written
    /// the same way each time, so the same archive gives the same digests.
    /// </summary>
    private static IReadOnlyList<ContainerImage> DockerArchive(ImageStore store, string dir, string? reference, Action<ImportProgress>? progress)
    {
        var where = $"{dir}/manifest.json";
        var entries = Document.ParseArray(File.ReadAllBytes(ImageArchive.Resolve(dir, "manifest.json", dir)), where);
        RefuseNameForMany(reference, entries.Length, dir);
        var images = new List<ContainerImage>();
        foreach (var entry in entries)
        {
            var configFile = ImageArchive.Resolve(dir, Descriptor.Text(entry, "Config", where) ?? throw Document.Invalid(where, "an entry has no Config"), where);
            var config = File.ReadAllBytes(configFile);
            var layers = new List<Descriptor>();
            foreach (var layerName in Document.Strings(entry, "Layers", where))
            {
                var layerFile = ImageArchive.Resolve(dir, layerName, where);
                using var stream = File.OpenRead(layerFile);
                var gzip = LayerUnpacker.IsGzip(stream);
                var total = stream.Length;
                var digest = BlobWriter.Put(store, stream, null, total, layerFile, done => progress?.Invoke(new ImportProgress(Path.GetFileName(layerName), "Copying", done, total)));
                layers.Add(Descriptor.Of(gzip ? MediaTypes.DockerLayerGzip : MediaTypes.DockerLayer, digest, total));
            }
            var configDescriptor = Descriptor.Of(MediaTypes.DockerConfig, Digest.Of(config), config.Length);
            var manifestBytes = ManifestJson(MediaTypes.DockerManifest, configDescriptor, layers);
            var manifest = new ImageManifest(MediaTypes.DockerManifest, configDescriptor, layers);
            var names = reference is not null ? [reference] : Document.Strings(entry, "RepoTags", where).Select(t => ImageReference.Parse(t).ToString()).ToArray();
            images.Add(ImageAssembly.Complete(store, manifestBytes, manifest, config, names, $"{dir} ({configDescriptor.Digest.Short})", progress));
        }
        return images;
    }

    /// <summary>docker import: the tar is the one layer; a config is written for it, with PATH as docker gives it.</summary>
    private static ContainerImage FromRootFsTar(ImageStore store, string path, string reference, Action<ImportProgress>? progress)
    {
        using var stream = File.OpenRead(path);
        var gzip = LayerUnpacker.IsGzip(stream);
        var total = stream.Length;
        var digest = BlobWriter.Put(store, stream, null, total, path, done => progress?.Invoke(new ImportProgress(Path.GetFileName(path), "Copying", done, total)));
        Digest diffId;
        using (var blob = File.OpenRead(store.BlobPath(digest)))
        using (var tar = new HashingStream(LayerUnpacker.Decompressed(blob, $"'{path}'")))
        {
            diffId = tar.Finish();
        }
        var config = ConfigJson(diffId);
        var layer = Descriptor.Of(gzip ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer, digest, total);
        var configDescriptor = Descriptor.Of(MediaTypes.OciConfig, Digest.Of(config), config.Length);
        var manifestBytes = ManifestJson(MediaTypes.OciManifest, configDescriptor, [layer]);
        return ImageAssembly.Complete(store, manifestBytes, new ImageManifest(MediaTypes.OciManifest, configDescriptor, [layer]), config, [reference], path, progress);
    }

    private static void Copy(ImageStore store, string dir, Descriptor blob, Action<ImportProgress>? progress)
    {
        if (store.HasBlob(blob.Digest))
        {
            return;
        }
        var file = ImageArchive.Resolve(dir, $"blobs/sha256/{blob.Digest.Hex}", $"The layout {dir}");
        using var stream = File.OpenRead(file);
        BlobWriter.Put(store, stream, blob.Digest, blob.Size, file, done => progress?.Invoke(new ImportProgress(blob.Digest.Short, "Copying", done, blob.Size)));
    }

    /// <summary>A small blob (manifest, config) of a layout, read whole and checked against its descriptor.</summary>
    private static byte[] Blob(string dir, Descriptor descriptor, string what)
    {
        var bytes = File.ReadAllBytes(ImageArchive.Resolve(dir, $"blobs/sha256/{descriptor.Digest.Hex}", $"The layout {dir}"));
        if (Digest.Of(bytes) != descriptor.Digest)
        {
            throw new ContainerPSException("ImageDigestMismatch", FailureKind.InvalidData,
                $"In {dir}, {what} {descriptor.Digest} has the digest {Digest.Of(bytes)}: the file is damaged. Nothing was stored.", descriptor.Digest.ToString());
        }
        return bytes;
    }

    public static byte[] ManifestJson(string mediaType, Descriptor config, IEnumerable<Descriptor> layers)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", mediaType);
            w.WritePropertyName("config");
            WriteDescriptor(w, config);
            w.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                WriteDescriptor(w, layer);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter w, Descriptor d)
    {
        w.WriteStartObject();
        w.WriteString("mediaType", d.MediaType);
        w.WriteString("digest", d.Digest.ToString());
        w.WriteNumber("size", d.Size);
        w.WriteEndObject();
    }

    private static byte[] ConfigJson(Digest diffId)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes(
            $$"""{"architecture":"{{HostPlatform.Architecture}}","os":"linux","created":"{{now}}","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":["{{diffId}}"]},"history":[{"created":"{{now}}","created_by":"Import-ContainerImage"}]}""");
    }
}
