using System.Globalization;
using System.Text.RegularExpressions;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Cgroups;

/// <summary>
/// An amount of memory as users write it: 256MB (PowerShell's numeric literal arrives as a number), "256MB",
/// "1.5G", "512k", a plain byte count, or "max" for no limit. Binary units (1K = 1024), as docker and cgroups use.
/// </summary>
public readonly partial struct ByteSize
{
    public static readonly ByteSize Unlimited = new(-1);

    private readonly long _bytes;

    private ByteSize(long bytes) => _bytes = bytes;

    public bool IsUnlimited => _bytes == -1;

    /// <summary>The byte count; -1 when unlimited.</summary>
    public long Bytes => _bytes;

    public static ByteSize Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("max", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("unlimited", StringComparison.OrdinalIgnoreCase))
        {
            return Unlimited;
        }
        var match = Pattern().Match(trimmed);
        if (!match.Success)
        {
            throw Invalid(text);
        }
        var number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups["u"].Value.ToUpperInvariant();
        var multiplier = unit.Length == 0 ? 1L : 1L << (10 * ("KMGTP".IndexOf(unit[0]) + 1));
        return new ByteSize((long)Math.Round(number * multiplier));
    }

    public static implicit operator ByteSize(long bytes) => bytes < 0 ? throw Invalid(bytes.ToString(CultureInfo.InvariantCulture)) : new ByteSize(bytes);

    public override string ToString()
    {
        if (IsUnlimited)
        {
            return "max";
        }
        foreach (var (unit, shift) in new[] { ("GB", 30), ("MB", 20), ("KB", 10) })
        {
            if (_bytes >= 1L << shift && _bytes % (1L << shift) == 0)
            {
                return $"{_bytes >> shift}{unit}";
            }
        }
        return _bytes.ToString(CultureInfo.InvariantCulture);
    }

    private static ContainerPSException Invalid(string text) => new("InvalidByteSize", FailureKind.InvalidArgument,
        $"'{text}' is not a memory size. Use a positive number of bytes with an optional unit (512KB, 256MB, 1.5GB; K, M, G, T), or 'max' for no limit.", text);

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)\s*(?<u>[KMGTP]?)(i?B)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
