using System.Net;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>
/// Import-ContainerImage -Reference, docker pull: the manifest (an index or manifest list resolved to this machine's
/// platform; a reference pinned by digest checked against it), the config, and the layers, downloaded side by side
/// into the store (a layer cut off by a kill is resumed with Range by the next pull), then the same checks and unpacking
/// as an import. The record is written last, so a pull cut off leaves no image.
/// </summary>
public static class ImagePull
{
    private const int ParallelDownloads = 3;

    /// <summary>A layer download that receives nothing for this long is given up (a registry that stalls, not one that is slow).</summary>
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] ManifestTypes = [MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest];

    public static ContainerImage Run(ImageStore store, string text, NetworkCredential? credential, bool skipCertificateCheck,
        Action<ImportProgress>? progress = null, CancellationToken cancel = default)
    {
        var reference = ImageReference.Parse(text);
        if (reference.Registry is null)
        {
            throw new ContainerPSException("ImageRegistryMissing", FailureKind.InvalidArgument,
                $"'{text}' names no registry. Give it as HOST[:PORT]/NAME[:TAG], e.g. localhost:5000/{reference.Path}:{reference.Tag}; no registry is assumed.", text);
        }
        store.Prepare();
        using (store.UseContent())
        using (var client = new RegistryClient(reference.Registry, credential, skipCertificateCheck))
        {
            return PullAsync(store, client, reference, progress, cancel).GetAwaiter().GetResult();
        }
    }

    private static async Task<ContainerImage> PullAsync(ImageStore store, RegistryClient client, ImageReference reference, Action<ImportProgress>? progress, CancellationToken cancel)
    {
        var source = reference.PinnedDigest is null ? reference.ToString() : $"{reference.Repository}@{reference.PinnedDigest}";
        var (bytes, mediaType) = await Manifest(client, reference.Path, reference.PinnedDigest ?? reference.Tag,
            reference.PinnedDigest is null ? null : Digest.Parse(reference.PinnedDigest, source), cancel).ConfigureAwait(false);
        if (ImageManifest.IsIndex(bytes, mediaType, $"the manifest of {source}"))
        {
            var index = ImageIndex.Parse(bytes, $"the index of {source}");
            var chosen = index.Manifests.FirstOrDefault(m => HostPlatform.Matches(m.Os, m.Architecture)) ?? throw new ContainerPSException("ImagePlatformNotFound", FailureKind.ObjectNotFound,
                $"{source} has no image for {HostPlatform.Name}; it has {string.Join(", ", index.Manifests.Select(m => m.Platform))}.", source);
            (bytes, mediaType) = await Manifest(client, reference.Path, chosen.Digest.ToString(), chosen.Digest, cancel).ConfigureAwait(false);
        }
        var manifest = ImageManifest.Parse(bytes, $"the manifest of {source}", mediaType);
        var config = await SmallBlob(client, reference.Path, manifest.Config, cancel).ConfigureAwait(false);
        await DownloadAll(store, client, reference.Path, manifest.Layers.DistinctBy(l => l.Digest).ToArray(), progress, cancel).ConfigureAwait(false);
        // A reference by digest alone names no tag: the image is stored without a name rather than as :latest.
        string[] names = reference.PinnedDigest is not null && !reference.TagGiven ? [] : [reference.ToString()];
        return ImageAssembly.Complete(store, bytes, manifest, config, names, source, progress);
    }

    /// <summary>Three at a time; the first failure stops the others, and is the one reported.</summary>
    private static async Task DownloadAll(ImageStore store, RegistryClient client, string repository, Descriptor[] layers, Action<ImportProgress>? progress, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var slots = new SemaphoreSlim(ParallelDownloads);
        var downloads = layers.Select(async layer =>
        {
            await slots.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                await Task.Run(() => Download(store, client, repository, layer, progress, stop.Token), stop.Token).ConfigureAwait(false);
            }
            catch
            {
                stop.Cancel();
                throw;
            }
            finally
            {
                slots.Release();
            }
        }).ToArray();
        try
        {
            await Task.WhenAll(downloads).ConfigureAwait(false);
        }
        catch when (downloads.Select(d => d.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    private static async Task<(byte[] Bytes, string? MediaType)> Manifest(RegistryClient client, string repository, string tagOrDigest, Digest? expected, CancellationToken cancel)
    {
        using var response = await client.Get(repository, "manifests", tagOrDigest, ManifestTypes, 0, cancel).ConfigureAwait(false);
        var bytes = await RegistryClient.ReadBounded(response, RegistryClient.MaxDocument, $"The manifest {repository}:{tagOrDigest}", cancel).ConfigureAwait(false);
        if (expected is { } want && Digest.Of(bytes) != want)
        {
            throw new ContainerPSException("ImageDigestMismatch", FailureKind.InvalidData,
                $"The manifest {repository}@{want} from the registry has the digest {Digest.Of(bytes)}: it is not the manifest asked for. Nothing was stored.", want.ToString());
        }
        return (bytes, response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<byte[]> SmallBlob(RegistryClient client, string repository, Descriptor blob, CancellationToken cancel)
    {
        using var response = await client.Get(repository, "blobs", blob.Digest.ToString(), [], 0, cancel).ConfigureAwait(false);
        return await RegistryClient.ReadBounded(response, Math.Min(blob.Size, RegistryClient.MaxDocument), $"The config {blob.Digest} of {repository}", cancel).ConfigureAwait(false);
    }

    /// <summary>A layer blob into the store under its digest's lock: skipped when there, resumed from a partial one with Range.</summary>
    private static void Download(ImageStore store, RegistryClient client, string repository, Descriptor layer, Action<ImportProgress>? progress, CancellationToken cancel)
    {
        using (store.LockDigest(layer.Digest))
        {
            if (store.HasBlob(layer.Digest))
            {
                progress?.Invoke(new ImportProgress(layer.Digest.Short, "Already stored", layer.Size, layer.Size));
                return;
            }
            var have = BlobWriter.Resumable(store, layer.Digest);
            if (have >= layer.Size)
            {
                // Killed between its last write and its rename: nothing is left to ask for, so it is checked from the start.
                BlobWriter.Discard(store, layer.Digest);
                have = 0;
            }
            var response = client.Get(repository, "blobs", layer.Digest.ToString(), [], have, cancel).GetAwaiter().GetResult();
            if (have > 0 && (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable ||
                response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From != have))
            {
                // The registry cannot give the rest from there: start over.
                response.Dispose();
                BlobWriter.Discard(store, layer.Digest);
                have = 0;
                response = client.Get(repository, "blobs", layer.Digest.ToString(), [], 0, cancel).GetAwaiter().GetResult();
            }
            using var _ = response;
            // Ctrl-C, a failed sibling or a stalled registry ends the read by closing the response under it.
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            idle.CancelAfter(IdleTimeout);
            using var abort = idle.Token.Register(response.Dispose);
            using var body = response.Content.ReadAsStream(cancel);
            void Report(long done)
            {
                idle.CancelAfter(IdleTimeout);
                progress?.Invoke(new ImportProgress(layer.Digest.Short, "Downloading", done, layer.Size));
                Containers.CrashPoint.Reach("pull:layer-partial");
            }
            try
            {
                // A registry that ignores Range answers 200 with the whole blob, which then replaces the partial one.
                BlobWriter.WriteLocked(store, layer.Digest, body, layer.Size, $"Layer {layer.Digest} of {repository}", Report,
                    resume: have > 0 && response.StatusCode == HttpStatusCode.PartialContent);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or ObjectDisposedException && cancel.IsCancellationRequested)
            {
                throw new OperationCanceledException("The pull was stopped.", e, cancel);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or ObjectDisposedException)
            {
                throw new ContainerPSException("ImageDownloadInterrupted", FailureKind.ResourceUnavailable,
                    $"The download of layer {layer.Digest} from {repository} was cut off{(idle.IsCancellationRequested ? $" (nothing came for {IdleTimeout.TotalSeconds} s)" : "")} ({e.Message}). Pull again: it resumes where this one stopped.", layer.Digest.ToString(), e);
            }
        }
    }
}
