namespace ContainerPS.Core.Images;

/// <summary>
/// Adds and finds image records. A name belongs to one image: importing a name another image holds moves it, and the
/// other keeps its record with its remaining names (none: listed as &lt;none&gt;), as docker does. Changes run under
/// images.lock, so two imports cannot both take a name.
/// </summary>
public static class ImageRecords
{
    public static ContainerImage Add(ImageStore store, ContainerImage image)
    {
        using (store.LockRecords())
        {
            foreach (var other in store.Records().Where(o => o.Id != image.Id && o.Names.Intersect(image.Names).Any()))
            {
                store.WriteRecord(other with { Names = other.Names.Except(image.Names).ToArray() });
            }
            if (store.Record(image.ImageDigest) is { } existing)
            {
                image = image with { Names = existing.Names.Union(image.Names).ToArray(), ImportedAt = existing.ImportedAt };
            }
            store.WriteRecord(image);
            return image;
        }
    }

    /// <summary>
    /// The image a user means: a name (":latest" when no tag is given), a full id, "sha256:" and a prefix of one, or a
    /// prefix of 4 or more hex digits that only one image's id starts with. Null when none matches.
    /// </summary>
    public static ContainerImage? Find(ImageStore store, string text)
    {
        var images = store.Records().ToArray();
        var hex = text.StartsWith(Digest.Prefix, StringComparison.Ordinal) ? text[Digest.Prefix.Length..] : text;
        var byName = images.FirstOrDefault(i => NameMatching(i, text) is not null);
        if (byName is not null)
        {
            return byName;
        }
        if (hex.Length >= 4 && hex.All(Uri.IsHexDigit))
        {
            var matches = images.Where(i => i.Id[Digest.Prefix.Length..].StartsWith(hex, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (matches.Length > 1)
            {
                throw new Interop.ContainerPSException("ImageIdAmbiguous", Interop.FailureKind.InvalidArgument,
                    $"'{text}' is the start of the ids of {matches.Length} images ({string.Join(", ", matches.Select(m => m.ShortId))}). Give more of the id.", text);
            }
            if (matches.Length == 0 && DamagedRecord(store, hex) is { } damaged)
            {
                store.Record(damaged); // throws RecordDamagedException, which names it: Remove-ContainerImage -Id removes it
            }
            return matches.SingleOrDefault();
        }
        return null;
    }

    /// <summary>The one record file whose id starts with <paramref name="hex"/>, when it is one <see cref="ImageStore.Records"/> could not read.</summary>
    private static Digest? DamagedRecord(ImageStore store, string hex)
    {
        var dir = Path.Combine(store.Root, "images");
        var files = Directory.Exists(dir) ? Directory.GetFiles(dir, hex.ToLowerInvariant() + "*.json") : [];
        return files.Length == 1 && Path.GetFileNameWithoutExtension(files[0]) is { Length: 64 } id ? new Digest(id) : null;
    }

    /// <summary>The image's name <paramref name="text"/> means: itself, or its normalized form (":latest" added, docker.io dropped); null when none.</summary>
    public static string? NameMatching(ContainerImage image, string text)
    {
        var normalized = ImageReference.TryParse(text)?.ToString();
        return image.Names.FirstOrDefault(n => n == text || n == normalized);
    }

    /// <summary>As <see cref="Find"/>, but a name or id that matches nothing is an ImageNotFound error.</summary>
    public static ContainerImage Resolve(ImageStore store, string text) => Find(store, text) ?? throw NotFound(text, store);

    /// <summary>ImageNotFound, naming the tag looked for and the tags its repository does have.</summary>
    public static Interop.ContainerPSException NotFound(string name, ImageStore store)
    {
        if (ImageReference.TryParse(name) is not { } reference)
        {
            return NotFound(name);
        }
        var tags = store.Records().SelectMany(i => i.Names).Select(ImageReference.Parse).Where(r => r.Repository == reference.Repository).Select(r => r.Tag).ToArray();
        return tags.Length == 0 || reference.TagGiven ? NotFound(name)
            : new("ImageNotFound", Interop.FailureKind.ObjectNotFound,
                $"No image '{reference}' in the image store: a name without a tag means :latest, and {reference.Repository} has the tags {string.Join(", ", tags)}. Give one, e.g. {reference.Repository}:{tags[0]}.", name);
    }

    public static Interop.ContainerPSException NotFound(string name) =>
        new("ImageNotFound", Interop.FailureKind.ObjectNotFound,
            $"No image '{name}' in the image store. Get-ContainerImage lists them; Import-ContainerImage brings one in.", name);
}
