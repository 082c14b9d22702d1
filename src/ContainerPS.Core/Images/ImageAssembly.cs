using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>
/// The last steps every import and pull share, once a manifest is chosen and its layer blobs are in the store:
/// the config checked (its digest, this machine's platform, one diff_id per layer), each layer unpacked and checked
/// against its diff_id, the config and manifest stored, and only then the record written, so an interrupted import
/// leaves no image, only blobs and layers the next import of them finds made.
/// </summary>
public static class ImageAssembly
{
    public static ContainerImage Complete(ImageStore store, byte[] manifestBytes, ImageManifest manifest, byte[] configBytes, string[] names, string source, Action<ImportProgress>? progress)
    {
        var configDigest = Digest.Of(configBytes);
        if (configDigest != manifest.Config.Digest)
        {
            throw new ContainerPSException("ImageDigestMismatch", FailureKind.InvalidData,
                $"The config of {source} should have the digest {manifest.Config.Digest} but has {configDigest}. Nothing was stored.", manifest.Config.Digest.ToString());
        }
        var config = ImageConfig.Parse(configBytes, $"The config of {source}");
        if (!HostPlatform.Matches(config.Os, config.Architecture))
        {
            throw new ContainerPSException("ImagePlatformMismatch", FailureKind.InvalidArgument,
                $"{source} is an image for {config.Os}/{config.Architecture}; this machine runs {HostPlatform.Name} containers. Import the {HostPlatform.Name} image instead.", source);
        }
        if (config.DiffIds.Count != manifest.Layers.Count)
        {
            throw new ContainerPSException("ImageDocumentInvalid", FailureKind.InvalidData,
                $"{source} lists {manifest.Layers.Count} layers but its config gives {config.DiffIds.Count} diff_ids; they must match one for one.", source);
        }
        var layers = new ImageLayer[manifest.Layers.Count];
        for (var i = 0; i < layers.Length; i++)
        {
            var layer = manifest.Layers[i];
            var total = layer.Size;
            progress?.Invoke(new ImportProgress(layer.Digest.Short, "Unpacking", 0, total));
            LayerUnpacker.Unpack(store, layer.Digest, config.DiffIds[i], done => progress?.Invoke(new ImportProgress(layer.Digest.Short, "Unpacking", done, total)));
            progress?.Invoke(new ImportProgress(layer.Digest.Short, "Done", total, total));
            Containers.CrashPoint.Reach("import:layer-unpacked");
            layers[i] = new ImageLayer { Digest = layer.Digest.ToString(), DiffId = config.DiffIds[i].ToString(), MediaType = layer.MediaType, Size = layer.Size };
        }
        BlobWriter.Put(store, new MemoryStream(configBytes), configDigest, configBytes.Length, $"The config of {source}");
        var manifestDigest = BlobWriter.Put(store, new MemoryStream(manifestBytes), null, manifestBytes.Length, $"The manifest of {source}");
        Containers.CrashPoint.Reach("import:blobs-stored");
        var image = new ContainerImage
        {
            Id = configDigest.ToString(),
            Names = names,
            Digest = manifestDigest.ToString(),
            ManifestMediaType = manifest.MediaType,
            Layers = layers,
            Size = manifestBytes.Length + configBytes.Length + layers.Sum(l => l.Size),
            Created = config.Created,
            Os = config.Os,
            Architecture = config.Architecture,
            ImportedAt = DateTime.UtcNow,
        };
        return ImageRecords.Add(store, image);
    }

    /// <summary>The config of an image in the store, for what New-Container takes from it; checked against its digest again before use.</summary>
    public static ImageConfig ConfigOf(ImageStore store, ContainerImage image)
    {
        var bytes = File.ReadAllBytes(store.BlobPath(image.ImageDigest));
        if (Digest.Of(bytes) != image.ImageDigest)
        {
            throw StoredBlobDamaged(store, image.ImageDigest, Digest.Of(bytes));
        }
        return ImageConfig.Parse(bytes, $"The config of image {image}");
    }

    /// <summary>A blob in the store whose bytes no longer have its digest (the disk, or a hand, changed it).</summary>
    public static ContainerPSException StoredBlobDamaged(ImageStore store, Digest digest, Digest actual) =>
        new("ImageBlobDamaged", FailureKind.InvalidData,
            $"The stored blob {digest} ({store.BlobPath(digest)}) now has the digest {actual}: it was changed on disk. Remove the image with Remove-ContainerImage -Force and import or pull it again.", digest.ToString());
}
