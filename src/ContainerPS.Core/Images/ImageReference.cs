using System.Text.RegularExpressions;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>
/// An image reference as the distribution spec writes it: [HOST[:PORT]/]PATH[:TAG][@DIGEST]. A name without tag or
/// digest means ":latest", as docker reads it. The first component is a registry host only when it holds a '.' or a
/// ':' or is "localhost". Docker Hub's names are kept in docker's short form ("docker.io/library/busybox" is
/// "busybox"), as skopeo and docker save write them both ways.
/// </summary>
public sealed partial record ImageReference(string? Registry, string Path, string Tag, string? PinnedDigest, bool TagGiven = true)
{
    public static ImageReference Parse(string text)
    {
        var match = ReferencePattern().Match(text);
        if (!match.Success)
        {
            throw new ContainerPSException("ImageReferenceInvalid", FailureKind.InvalidArgument,
                $"'{text}' is not an image reference. Use [HOST[:PORT]/]NAME[:TAG][@sha256:DIGEST] with a lowercase name, e.g. localhost:5000/web:1.0 or busybox.", text);
        }
        var name = match.Groups["name"].Value;
        var slash = name.IndexOf('/');
        var first = slash < 0 ? null : name[..slash];
        var registry = first is not null && (first.Contains('.') || first.Contains(':') || first == "localhost") ? first : null;
        var path = registry is null ? name : name[(slash + 1)..];
        if (registry is "docker.io" or "index.docker.io")
        {
            registry = null;
            path = path.StartsWith("library/", StringComparison.Ordinal) ? path["library/".Length..] : path;
        }
        return new ImageReference(registry, path,
            match.Groups["tag"].Success ? match.Groups["tag"].Value : "latest",
            match.Groups["digest"].Success ? match.Groups["digest"].Value : null,
            match.Groups["tag"].Success);
    }

    /// <summary>The reference, or null when the text is not one (an id, say).</summary>
    public static ImageReference? TryParse(string text) => ReferencePattern().IsMatch(text) ? Parse(text) : null;

    /// <summary>The name less tag and digest, with its registry: "localhost:5000/web".</summary>
    public string Repository => Registry is null ? Path : Registry + "/" + Path;

    /// <summary>The form names are stored and matched in: repository and tag.</summary>
    public override string ToString() => Repository + ":" + Tag;

    [GeneratedRegex(@"^(?<name>(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$")]
    private static partial Regex ReferencePattern();
}
