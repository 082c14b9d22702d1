using ContainerPS.Core.Security;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// -CapabilityAdd and -CapabilityDrop applied to the default set as docker applies --cap-add and --cap-drop: ALL
/// added is every capability less those dropped; ALL dropped is only those added; otherwise the default set less
/// those dropped, plus those added (a capability both added and dropped is kept).
/// </summary>
public static class ContainerCapabilities
{
    public static string[] Resolve(IReadOnlyList<string> add, IReadOnlyList<string> drop)
    {
        var (added, addAll) = Parse(add, "-CapabilityAdd");
        var (dropped, dropAll) = Parse(drop, "-CapabilityDrop");
        var kept = addAll ? Every & ~dropped
            : dropAll ? added
            : (Capabilities.ContainerDefaultMask & ~dropped) | added;
        return CapabilityNames.Of(kept);
    }

    private static ulong Every => (1UL << CapabilityNames.All.Count) - 1;

    /// <summary>The mask of the names given, and whether ALL was among them.</summary>
    private static (ulong Mask, bool All) Parse(IReadOnlyList<string> names, string parameter)
    {
        var mask = 0UL;
        var all = false;
        foreach (var name in names)
        {
            if (string.Equals(name, "ALL", StringComparison.OrdinalIgnoreCase))
            {
                all = true;
                continue;
            }
            var number = CapabilityNames.Number(name) ?? throw new ContainerPSException("UnknownCapability", FailureKind.InvalidArgument,
                $"{parameter} '{name}' is not a capability. Use ALL or a name from capabilities(7), with or without CAP_: " +
                string.Join(", ", CapabilityNames.All.Select(n => n[4..])) + ".", name);
            mask |= 1UL << number;
        }
        return (mask, all);
    }

    /// <summary>The bounding-set mask of a spec's capability names.</summary>
    public static ulong Mask(IEnumerable<string> names) => names.Aggregate(0UL, (mask, name) =>
        mask | 1UL << (CapabilityNames.Number(name) ?? throw new ContainerPSException("UnknownCapability", FailureKind.InvalidArgument,
            $"The capability '{name}' in the container's spec is not one this runtime knows.", name)));
}
