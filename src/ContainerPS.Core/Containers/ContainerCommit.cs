using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using ContainerPS.Core.Images;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// New-ContainerImage -Container, docker commit: the container's writable layer (its overlayfs upper directory,
/// whiteouts turned back into the OCI form) becomes one more gzip'd layer on its image, and a new config and
/// manifest name it; the result goes into the store as an import does. A running container is paused meanwhile,
/// as docker commit pauses it, so the layer is one moment of it.
/// </summary>
public static class ContainerCommit
{
    public static ContainerImage Run(ContainerStore store, ImageStore images, Container container, string? name)
    {
        var spec = store.ReadSpec(container.Id) ?? throw new ContainerPSException("ContainerNotFound", FailureKind.ObjectNotFound,
            $"Container '{container.Name}' was removed meanwhile.", container);
        var reference = name is null ? null : ImageReference.Parse(name).ToString();
        if (spec.Image is null)
        {
            throw new ContainerPSException("ContainerHasNoImage", FailureKind.InvalidOperation,
                $"Container '{container.Name}' runs on the directory {spec.RootFs}, not on an image, so it has no layer of its own to commit. Export-Container {container.Name} -Path root.tar, then Import-ContainerImage root.tar -Name NAME, makes an image of its whole root.", container);
        }
        var image = images.Record(Digest.Parse(spec.Image, $"container {container.Name}")) ?? throw new ContainerPSException("ImageNotFound", FailureKind.ObjectNotFound,
            $"The image of container '{container.Name}' ({spec.ImageName}) is no longer in the store (removed with -Force), so there is no base to commit onto.", container);
        images.Prepare();
        using (images.UseContent())
        {
            var tar = images.TempPath($"commit-{container.Id[..12]}.tar");
            var gzip = tar + ".gz";
            try
            {
                var paused = container.State == ContainerState.Running;
                if (paused)
                {
                    ContainerPause.Suspend(store, container);
                }
                try
                {
                    using var file = File.Create(tar);
                    using var writer = new TarWriter(file, TarEntryFormat.Pax);
                    ContainerRootTar.Write(writer, Path.Combine(store.Dir(container.Id), "diff"), overlayUpper: true);
                }
                finally
                {
                    // Only if it is still paused: it may have exited meanwhile, and the layer read is good either way.
                    if (paused && store.Load(container.Id) is { State: ContainerState.Paused } now)
                    {
                        ContainerPause.Resume(store, now);
                    }
                }
                Digest diffId;
                using (var file = File.OpenRead(tar))
                {
                    diffId = Digest.Of(file);
                }
                using (var input = File.OpenRead(tar))
                using (var output = File.Create(gzip))
                using (var compress = new GZipStream(output, CompressionLevel.Fastest))
                {
                    input.CopyTo(compress);
                }
                long size;
                Digest layer;
                using (var blob = File.OpenRead(gzip))
                {
                    size = blob.Length;
                    layer = BlobWriter.Put(images, blob, null, size, $"the committed layer of {container.Name}");
                }
                var (manifestBytes, manifest, configBytes) = Documents(images, image, layer, size, diffId, container.Name);
                return ImageAssembly.Complete(images, manifestBytes, manifest, configBytes, reference is null ? [] : [reference], $"the commit of {container.Name}", null);
            }
            finally
            {
                File.Delete(tar);
                File.Delete(gzip);
            }
        }
    }

    /// <summary>The base's config and manifest with the new layer added: diff_id and history in the config, the descriptor in the manifest, media types of the base's kind.</summary>
    private static (byte[] ManifestBytes, ImageManifest Manifest, byte[] ConfigBytes) Documents(ImageStore images, ContainerImage image, Digest layer, long size, Digest diffId, string container)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        var config = JsonNode.Parse(File.ReadAllBytes(images.BlobPath(image.ImageDigest)))!.AsObject();
        config["created"] = now;
        config["rootfs"]!["diff_ids"]!.AsArray().Add((JsonNode)JsonValue.Create(diffId.ToString()));
        if (config["history"] is not JsonArray history)
        {
            config["history"] = history = [];
        }
        history.Add((JsonNode)new JsonObject { ["created"] = now, ["created_by"] = $"New-ContainerImage -Container {container}" });
        var configBytes = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());

        var docker = image.ManifestMediaType == MediaTypes.DockerManifest;
        var manifest = JsonNode.Parse(File.ReadAllBytes(images.BlobPath(Digest.Parse(image.Digest, $"image {image}"))))!.AsObject();
        manifest["config"]!["digest"] = Digest.Of(configBytes).ToString();
        manifest["config"]!["size"] = configBytes.Length;
        manifest["layers"]!.AsArray().Add((JsonNode)new JsonObject
        {
            ["mediaType"] = docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip,
            ["digest"] = layer.ToString(),
            ["size"] = size,
        });
        var manifestBytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        return (manifestBytes, ImageManifest.Parse(manifestBytes, $"the manifest committed from {container}", image.ManifestMediaType), configBytes);
    }
}
