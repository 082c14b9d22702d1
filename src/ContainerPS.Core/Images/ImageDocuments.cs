using System.Text.Json;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>A content descriptor: what a manifest or index says of another blob.</summary>
public sealed record Descriptor(string MediaType, Digest Digest, long Size, string? Os, string? Architecture, string? Variant, IReadOnlyDictionary<string, string> Annotations)
{
    /// <summary>A descriptor this store writes (a docker-archive's layers, a config it made): no platform, no annotations.</summary>
    public static Descriptor Of(string mediaType, Digest digest, long size) => new(mediaType, digest, size, null, null, null, new Dictionary<string, string>());

    public string Platform => Os is null ? "unspecified" : $"{Os}/{Architecture}{(Variant is null ? "" : "/" + Variant)}";

    internal static Descriptor Read(JsonElement e, string where)
    {
        var platform = e.TryGetProperty("platform", out var p) ? p : default;
        return new Descriptor(
            Text(e, "mediaType", where) ?? throw Document.Invalid(where, "a descriptor has no mediaType"),
            Digest.Parse(Text(e, "digest", where) ?? throw Document.Invalid(where, "a descriptor has no digest"), where),
            e.TryGetProperty("size", out var size) && size.TryGetInt64(out var n) && n >= 0 ? n : throw Document.Invalid(where, "a descriptor has no size"),
            platform.ValueKind == JsonValueKind.Object ? Text(platform, "os", where) : null,
            platform.ValueKind == JsonValueKind.Object ? Text(platform, "architecture", where) : null,
            platform.ValueKind == JsonValueKind.Object ? Text(platform, "variant", where) : null,
            e.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object
                ? a.EnumerateObject().Where(x => x.Value.ValueKind == JsonValueKind.String).ToDictionary(x => x.Name, x => x.Value.GetString()!)
                : new Dictionary<string, string>());
    }

    internal static string? Text(JsonElement e, string name, string where) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw Document.Invalid(where, $"'{name}' is not a string");
}

/// <summary>An image index (OCI) or manifest list (Docker): one manifest per platform.</summary>
public sealed record ImageIndex(IReadOnlyList<Descriptor> Manifests)
{
    public static ImageIndex Parse(byte[] json, string where) => Document.Parse(json, where, root =>
        new ImageIndex(root.TryGetProperty("manifests", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Select(d => Descriptor.Read(d, where)).ToArray()
            : throw Document.Invalid(where, "it has no 'manifests' array")));
}

/// <summary>An image manifest (OCI or Docker v2 schema 2): the config and the layers, bottom first.</summary>
public sealed record ImageManifest(string MediaType, Descriptor Config, IReadOnlyList<Descriptor> Layers)
{
    public static ImageManifest Parse(byte[] json, string where, string? mediaType = null) => Document.Parse(json, where, root =>
    {
        var type = Descriptor.Text(root, "mediaType", where) ?? mediaType ?? MediaTypes.OciManifest;
        if (root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() != 2)
        {
            throw Document.Invalid(where, $"it is schema version {version.GetInt32()}; only schema 2 manifests (Docker v2 schema 2, OCI) are read");
        }
        var config = root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? Descriptor.Read(c, where) : throw Document.Invalid(where, "it has no 'config'");
        var layers = root.TryGetProperty("layers", out var l) && l.ValueKind == JsonValueKind.Array
            ? l.EnumerateArray().Select(d => Descriptor.Read(d, where)).ToArray()
            : throw Document.Invalid(where, "it has no 'layers' array");
        foreach (var layer in layers.Where(x => !MediaTypes.IsLayer(x.MediaType)))
        {
            throw Document.Invalid(where, $"layer {layer.Digest} has the media type {layer.MediaType}, which is not an image layer (tar or tar+gzip)");
        }
        return new ImageManifest(type, config, layers);
    });

    /// <summary>Whether a document is an index rather than a manifest, by its media type or, where the OCI spec lets it be absent, by its members.</summary>
    public static bool IsIndex(byte[] json, string? mediaType, string where) => Document.Parse(json, where, root =>
        MediaTypes.IsIndex(Descriptor.Text(root, "mediaType", where) ?? mediaType ?? "") || root.TryGetProperty("manifests", out _));
}

/// <summary>What New-Container takes from an image's config, and what the store checks its layers against.</summary>
public sealed record ImageConfig(string Os, string Architecture, DateTime? Created, IReadOnlyList<Digest> DiffIds,
    string[] Env, string[]? Entrypoint, string[]? Cmd, string? WorkingDir, string? User)
{
    public static ImageConfig Parse(byte[] json, string where) => Document.Parse(json, where, root =>
    {
        var config = root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var rootfs = root.TryGetProperty("rootfs", out var r) && r.ValueKind == JsonValueKind.Object ? r : throw Document.Invalid(where, "it has no 'rootfs'");
        var diffIds = rootfs.TryGetProperty("diff_ids", out var d) && d.ValueKind == JsonValueKind.Array
            ? d.EnumerateArray().Select(x => Digest.Parse(x.GetString() ?? "", where)).ToArray()
            : throw Document.Invalid(where, "its rootfs has no 'diff_ids'");
        DateTime? created = Descriptor.Text(root, "created", where) is { } text && DateTime.TryParse(text, null, System.Globalization.DateTimeStyles.AdjustToUniversal, out var when) ? when : null;
        return new ImageConfig(
            Descriptor.Text(root, "os", where) ?? throw Document.Invalid(where, "it has no 'os'"),
            Descriptor.Text(root, "architecture", where) ?? throw Document.Invalid(where, "it has no 'architecture'"),
            created,
            diffIds,
            Strings(config, "Env", where) ?? [],
            Strings(config, "Entrypoint", where),
            Strings(config, "Cmd", where),
            config.ValueKind == JsonValueKind.Object ? Descriptor.Text(config, "WorkingDir", where) is { Length: > 0 } wd ? wd : null : null,
            config.ValueKind == JsonValueKind.Object ? Descriptor.Text(config, "User", where) is { Length: > 0 } user ? user : null : null);
    });

    private static string[]? Strings(JsonElement config, string name, string where) =>
        config.ValueKind != JsonValueKind.Object || !config.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetString() ?? throw Document.Invalid(where, $"'{name}' holds a value that is not a string")).ToArray()
        : throw Document.Invalid(where, $"'{name}' is not an array of strings");
}

internal static class Document
{
    public static T Parse<T>(byte[] json, string where, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? read(document.RootElement) : throw Invalid(where, "it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw Invalid(where, "it is not JSON: " + e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw Invalid(where, e.Message);
        }
    }

    /// <summary>A top-level JSON array of objects (docker save's manifest.json), each element cloned out of the document.</summary>
    public static JsonElement[] ParseArray(byte[] json, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array && document.RootElement.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object)
                ? document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray()
                : throw Invalid(where, "it is not a JSON array of objects");
        }
        catch (JsonException e)
        {
            throw Invalid(where, "it is not JSON: " + e.Message);
        }
    }

    /// <summary>An array of strings, empty when absent (docker save writes RepoTags null for an untagged image).</summary>
    public static string[] Strings(JsonElement e, string name, string where) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? []
        : v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw Invalid(where, $"'{name}' holds a value that is not a string")).ToArray()
        : throw Invalid(where, $"'{name}' is not an array");

    public static ContainerPSException Invalid(string where, string why) =>
        new("ImageDocumentInvalid", FailureKind.InvalidData, $"{where} cannot be read: {why}.", where);
}
