using System.Text.Json.Serialization;

namespace ContainerPS.Core.Images;

/// <summary>
/// An image in the store (images/HEX.json): its names, the manifest it came as, its config and its layers in order,
/// bottom first. Its id is its config's digest, as docker's is, so the same image has the same id from any source.
/// </summary>
public sealed record ContainerImage
{
    /// <summary>"sha256:HEX" of its config.</summary>
    public required string Id { get; init; }

    /// <summary>References it is known by ("localhost:5000/web:1.0"); none for an image whose names moved to another.</summary>
    public string[] Names { get; init; } = [];

    /// <summary>The digest of its manifest as stored: pulled, the registry's; imported from a docker-archive, one written for it.</summary>
    public required string Digest { get; init; }

    public required string ManifestMediaType { get; init; }

    public required ImageLayer[] Layers { get; init; }

    /// <summary>The bytes of its blobs as stored (manifest, config, layers).</summary>
    public long Size { get; init; }

    /// <summary>When the image was built, from its config; null when the config does not say.</summary>
    public DateTime? Created { get; init; }

    public required string Os { get; init; }

    public required string Architecture { get; init; }

    /// <summary>When it came into this store.</summary>
    public DateTime ImportedAt { get; init; }

    [JsonIgnore]
    public string ShortId => Id.Substring(Images.Digest.Prefix.Length, 12);

    [JsonIgnore]
    internal Digest ImageDigest => Images.Digest.Parse(Id, "an image record");

    /// <summary>The first name less its tag ("localhost:5000/web"), or "&lt;none&gt;".</summary>
    [JsonIgnore]
    public string Repository => Names.Length == 0 ? "<none>" : ImageReference.Parse(Names[0]).Repository;

    [JsonIgnore]
    public string Tag => Names.Length == 0 ? "<none>" : ImageReference.Parse(Names[0]).Tag;

    public override string ToString() => Names.Length > 0 ? Names[0] : ShortId;
}

/// <summary>One layer: its blob as shipped (digest, media type, size) and its diff_id, the digest of its uncompressed tar.</summary>
public sealed record ImageLayer
{
    public required string Digest { get; init; }

    public required string DiffId { get; init; }

    public required string MediaType { get; init; }

    public long Size { get; init; }
}
