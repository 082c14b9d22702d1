using System.Globalization;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Containers;

/// <summary>
/// -UserNamespace: a block of 65536 host ids per container, from the ranges /etc/subuid and /etc/subgid give the user
/// "containerps" (as podman's --userns=auto takes them from "containers"). The blocks in use are those the store's
/// container records map, so removing a container frees its block; the allocation and the record that keeps it are
/// made under one lock, so two creates at once never get the same block.
/// </summary>
public static class SubordinateIds
{
    public const string Owner = "containerps";
    private const uint Block = 65536;

    /// <summary>Takes the lock under which a block is chosen and the record that holds it is written.</summary>
    public static IDisposable Lock(ContainerStore store)
    {
        Directory.CreateDirectory(store.Root);
        return FileLock.Take(Path.Combine(store.Root, "idmaps.lock"));
    }

    /// <summary>The uid and gid maps of a free block; call it under <see cref="Lock"/>.</summary>
    public static (IdMapping[] Uids, IdMapping[] Gids) Allocate(ContainerStore store, string subuid = "/etc/subuid", string subgid = "/etc/subgid")
    {
        var used = store.Ids().Select(id => Used(store, id)).OfType<ContainerSpec>().ToArray();
        var uid = Free(Ranges(subuid, Owner), used.SelectMany(s => s.UidMap), subuid);
        var gid = Free(Ranges(subgid, Owner), used.SelectMany(s => s.GidMap), subgid);
        return ([new IdMapping(0, uid, Block)], [new IdMapping(0, gid, Block)]);
    }

    private static ContainerSpec? Used(ContainerStore store, string id)
    {
        try
        {
            return store.ReadSpec(id);
        }
        catch (RecordDamagedException)
        {
            return null; // its block, if it had one, is taken again: a damaged record runs nothing
        }
    }

    private static uint Free(List<(uint Start, uint Count)> ranges, IEnumerable<IdMapping> taken, string file)
    {
        var busy = taken.Select(m => (Start: (ulong)m.HostId, End: (ulong)m.HostId + m.Count)).ToArray();
        foreach (var (start, count) in ranges)
        {
            for (var block = (ulong)start; block + Block <= (ulong)start + count; block += Block)
            {
                if (!busy.Any(b => block < b.End && b.Start < block + Block))
                {
                    return (uint)block;
                }
            }
        }
        throw new ContainerPSException("UserNamespaceRangesExhausted", FailureKind.ResourceUnavailable,
            ranges.Count == 0
                ? $"{file} gives the user '{Owner}' no ids to map containers to. Add a line such as '{Owner}:100000:6553600' (100 containers of 65536 ids) to /etc/subuid and /etc/subgid, or give -UidMap."
                : $"Every block of {Block} ids that {file} gives '{Owner}' is taken by a container. Remove some, or give '{Owner}' a longer range there.", file);
    }

    /// <summary>The OWNER:START:COUNT lines of a subordinate id file for any of <paramref name="owners"/> (a name or a uid).</summary>
    internal static List<(uint Start, uint Count)> Ranges(string file, params string[] owners)
    {
        if (!File.Exists(file))
        {
            return [];
        }
        var ranges = new List<(uint Start, uint Count)>();
        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split(':');
            if (parts.Length == 3 && owners.Contains(parts[0]) &&
                uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start) &&
                uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                ranges.Add((start, count));
            }
        }
        return ranges;
    }
}
