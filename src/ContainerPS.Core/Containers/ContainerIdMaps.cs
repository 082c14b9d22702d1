using ContainerPS.Core.Interop;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Containers;

/// <summary>
/// -UidMap and -GidMap: the lines given, checked before anything is made. Root inside must be mapped (the container's
/// first process becomes it), lines must not overlap inside or outside (the kernel refuses that), and a missing
/// -GidMap takes the uid lines, as podman does.
/// </summary>
public static class ContainerIdMaps
{
    /// <summary>The kernel takes at most 340 lines a map; more is certainly a mistake here.</summary>
    private const int MaxLines = 340;

    public static (IdMapping[] Uids, IdMapping[] Gids) Check(string[] uidLines, string[] gidLines)
    {
        if (uidLines.Length == 0 && gidLines.Length == 0)
        {
            return ([], []);
        }
        if (uidLines.Length == 0)
        {
            throw new ContainerPSException("UidMapMissing", FailureKind.InvalidArgument,
                "-GidMap was given without -UidMap. Give -UidMap too (0:100000:65536 makes root inside host uid 100000).", gidLines);
        }
        var uids = Lines(uidLines, "-UidMap");
        var gids = gidLines.Length == 0 ? uids : Lines(gidLines, "-GidMap");
        return (uids, gids);
    }

    /// <summary>The host ids root inside has, or null without -UidMap (root is root then).</summary>
    public static (uint Uid, uint Gid)? HostRoot(ContainerSpec spec) =>
        spec.UidMap.Length == 0 ? null : (IdMapping.HostIdOf(spec.UidMap, 0)!.Value, IdMapping.HostIdOf(spec.GidMap, 0)!.Value);

    private static IdMapping[] Lines(string[] lines, string parameter)
    {
        var map = lines.Select(l => IdMapping.Parse(l, parameter)).ToArray();
        if (map.Length > MaxLines)
        {
            throw new ContainerPSException("InvalidIdMapping", FailureKind.InvalidArgument, $"{parameter} has {map.Length} lines; the kernel takes at most {MaxLines}.", lines);
        }
        if (IdMapping.HostIdOf(map, 0) is null)
        {
            throw new ContainerPSException("IdMappingLacksRoot", FailureKind.InvalidArgument,
                $"{parameter} {string.Join(", ", lines)} does not map id 0, which the container's first process runs as. Add a line that starts at 0 (0:100000:65536).", lines);
        }
        for (var i = 0; i < map.Length; i++)
        {
            for (var j = i + 1; j < map.Length; j++)
            {
                if (Overlap(map[i].ContainerId, map[j].ContainerId, map[i].Count, map[j].Count) || Overlap(map[i].HostId, map[j].HostId, map[i].Count, map[j].Count))
                {
                    throw new ContainerPSException("InvalidIdMapping", FailureKind.InvalidArgument,
                        $"{parameter} lines {map[i]} and {map[j]} overlap; each id may be mapped once, inside and outside.", lines);
                }
            }
        }
        return map;
    }

    private static bool Overlap(uint a, uint b, uint countA, uint countB) => a < (ulong)b + countB && b < (ulong)a + countA;
}
