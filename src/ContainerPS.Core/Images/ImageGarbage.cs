namespace ContainerPS.Core.Images;

/// <summary>
/// Takes from the store what no image record and no container needs: blobs no record names, layers no record and no
/// container stacks or any mounted overlayfs still uses (a Damaged container's, whose spec cannot say), and everything under tmp/ (under the exclusive collection lock no import is running, so what is
/// there was left by a killed one). Per-digest lock files stay: removing one another process may hold would let two
/// makers of that digest in at once.
/// </summary>
public static class ImageGarbage
{
    /// <param name="layersInUse">The diff_ids containers use, asked once the locks are held, when no create is midway.</param>
    /// <param name="whileLocked">A change made under the same locks first (a record's removal, after its check).</param>
    /// <returns>The bytes freed.</returns>
    public static long Collect(ImageStore store, Func<IEnumerable<string>> layersInUse, Action? whileLocked = null)
    {
        using (store.LockForCollection())
        using (store.LockRecords())
        {
            whileLocked?.Invoke();
            var images = store.Records().ToArray();
            var blobs = images.SelectMany(i => i.Layers.Select(l => l.Digest).Append(i.Id).Append(i.Digest)).ToHashSet(StringComparer.Ordinal);
            var layers = images.SelectMany(i => i.Layers.Select(l => l.DiffId)).Concat(layersInUse()).Concat(Mounted(store)).ToHashSet(StringComparer.Ordinal);
            long freed = 0;
            foreach (var blob in Entries(Path.Combine(store.Root, "blobs", "sha256")).Where(hex => !blobs.Contains(Digest.Prefix + hex)))
            {
                var path = store.BlobPath(new Digest(blob));
                freed += new FileInfo(path).Length;
                File.Delete(path);
            }
            foreach (var layer in Entries(Path.Combine(store.Root, "layers")).Where(hex => !layers.Contains(Digest.Prefix + hex)))
            {
                // Out of layers/ in one rename first: a kill midway through the delete must not leave a half layer
                // under the name an unpack trusts as whole. tmp/ is emptied next, and by the next collection.
                var doomed = store.TempPath(layer + ".removing");
                Directory.Move(store.LayerPath(new Digest(layer)), doomed);
                LayerUnpacker.RemoveTree(doomed);
            }
            foreach (var stale in Entries(Path.Combine(store.Root, "tmp")))
            {
                var path = store.TempPath(stale);
                if (Directory.Exists(path))
                {
                    LayerUnpacker.RemoveTree(path);
                }
                else
                {
                    File.Delete(path);
                }
            }
            return freed;
        }
    }

    /// <summary>The layers named in the lowerdir option of an overlayfs mounted now (mountinfo's super options).</summary>
    private static IEnumerable<string> Mounted(ImageStore store)
    {
        var prefix = Path.Combine(store.Root, "layers") + "/";
        return File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(" - ", 2))
            .Where(parts => parts.Length == 2 && parts[1].StartsWith("overlay ", StringComparison.Ordinal))
            .SelectMany(parts => parts[1].Split(' ').Last().Split(','))
            .Where(option => option.StartsWith("lowerdir=", StringComparison.Ordinal))
            .SelectMany(option => option["lowerdir=".Length..].Split(':'))
            .Where(path => path.StartsWith(prefix, StringComparison.Ordinal))
            .Select(path => Digest.Prefix + path[prefix.Length..]);
    }

    private static IEnumerable<string> Entries(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().ToArray() : [];
}
