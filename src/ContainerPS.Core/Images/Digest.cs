using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>
/// A content digest as the OCI image spec writes it, "sha256:" and 64 lowercase hex digits; the only algorithm
/// registries and engines use for images. Parsing refuses anything else, so a digest from a file can name a path.
/// </summary>
public readonly partial record struct Digest(string Hex)
{
    public const string Prefix = "sha256:";

    public static Digest Parse(string text, string what)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || !HexPattern().IsMatch(text.AsSpan(Prefix.Length)))
        {
            throw new ContainerPSException("ImageDigestInvalid", FailureKind.InvalidData,
                $"{what} has the digest '{text}', which is not sha256: and 64 lowercase hex digits, the only form this store keeps.", text);
        }
        return new Digest(text[Prefix.Length..]);
    }

    public static Digest Of(ReadOnlySpan<byte> content) => new(Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant());

    /// <summary>The digest of a stream read to its end (a file in the store, a tar being committed).</summary>
    public static Digest Of(Stream content) => new(Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant());

    public static Digest Of(IncrementalHash hash) => new(Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant());

    public string Short => Hex[..12];

    public override string ToString() => Prefix + Hex;

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexPattern();
}
