using System.Security.Cryptography;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>
/// Puts blobs into the store: written to tmp/HEX.partial under the digest's lock, hashed as written, and renamed to
/// blobs/sha256/HEX only once the digest (and the size, when known) checked. A blob present is trusted: nothing else
/// writes that name. A partial left by a killed writer is resumed by the next (<see cref="Resumable"/>) or rewritten.
/// </summary>
public static class BlobWriter
{
    /// <summary>Copies <paramref name="content"/> in and returns its digest, which must be <paramref name="expected"/> when given.</summary>
    public static Digest Put(ImageStore store, Stream content, Digest? expected, long? size, string source, Action<long>? progress = null)
    {
        if (expected is { } known)
        {
            using (store.LockDigest(known))
            {
                if (!store.HasBlob(known))
                {
                    Write(store, PartialPath(store, known), content, known, size, source, progress, append: false);
                }
                return known;
            }
        }
        // Unknown until read: written under a name of its own, then placed (a second writer of the same bytes renames the same content over it).
        var temp = store.TempPath("unnamed-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant() + ".partial");
        return Write(store, temp, content, null, size, source, progress, append: false);
    }

    /// <summary>
    /// The bytes of an interrupted download of <paramref name="digest"/> already on disk, to be asked for by Range; the
    /// caller holds the digest's lock and then calls <see cref="WriteLocked"/>.
    /// </summary>
    public static long Resumable(ImageStore store, Digest digest) =>
        File.Exists(PartialPath(store, digest)) ? new FileInfo(PartialPath(store, digest)).Length : 0;

    /// <summary>Drops the partial blob of <paramref name="digest"/> (the caller holds its lock).</summary>
    public static void Discard(ImageStore store, Digest digest) => File.Delete(PartialPath(store, digest));

    /// <summary>
    /// Writes the blob of <paramref name="digest"/> for a caller that holds its lock: after the partial one when
    /// <paramref name="resume"/> (<paramref name="content"/> is the rest, from a Range request), else from the start.
    /// </summary>
    public static void WriteLocked(ImageStore store, Digest digest, Stream content, long? size, string source, Action<long>? progress, bool resume) =>
        Write(store, PartialPath(store, digest), content, digest, size, source, progress, append: resume);

    private static string PartialPath(ImageStore store, Digest digest) => store.TempPath(digest.Hex + ".partial");

    private static Digest Write(ImageStore store, string temp, Stream content, Digest? expected, long? size, string source, Action<long>? progress, bool append)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long written = 0;
        try
        {
            // Unbuffered: each chunk is in the file once written, so a download killed midway leaves what it had to resume from.
            using (var file = new FileStream(temp, append ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 0))
            {
                var buffer = new byte[128 * 1024];
                int read;
                while ((read = file.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer.AsSpan(0, read)); // what an earlier download left
                    written += read;
                }
                while ((read = content.Read(buffer)) > 0)
                {
                    if (size is { } limit && written + read > limit)
                    {
                        // A source that sends more than its descriptor says is stopped here, not once the disk is full.
                        throw new ContainerPSException("ImageSizeMismatch", FailureKind.InvalidData,
                            $"{source} should be {limit} bytes but goes on past that. Nothing was stored.", expected?.ToString());
                    }
                    file.Write(buffer, 0, read);
                    hash.AppendData(buffer.AsSpan(0, read));
                    written += read;
                    progress?.Invoke(written);
                }
                file.Flush(flushToDisk: true);
            }
            var actual = Digest.Of(hash);
            if (expected is { } want && actual != want)
            {
                throw new ContainerPSException("ImageDigestMismatch", FailureKind.InvalidData,
                    $"{source} should have the digest {want} but its {written} bytes have {actual}: it is damaged or not the blob named. Nothing was stored.", want.ToString());
            }
            if (size is { } length && length != written)
            {
                throw new ContainerPSException("ImageSizeMismatch", FailureKind.InvalidData,
                    $"{source} should be {length} bytes but is {written}. Nothing was stored.", actual.ToString());
            }
            File.Move(temp, store.BlobPath(actual), overwrite: true);
            return actual;
        }
        catch (Exception e) when (expected is null || e is ContainerPSException)
        {
            // A mismatch is not worth resuming, and an unnamed partial cannot be; a named one cut off by a failed read
            // stays for the next download to resume with Range (an import rewrites it from the start).
            File.Delete(temp);
            throw;
        }
    }
}
