using System.Globalization;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Security;

/// <summary>
/// One line of a user namespace's uid_map or gid_map: <see cref="Count"/> ids from <see cref="ContainerId"/> inside
/// are <see cref="HostId"/> and on outside. Written CONTAINER:HOST:COUNT, as podman's --uidmap.
/// </summary>
public sealed record IdMapping(uint ContainerId, uint HostId, uint Count)
{
    public static IdMapping Parse(string text, string parameter)
    {
        var parts = text.Split(':');
        if (parts.Length != 3 || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var inside) ||
            !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var outside) ||
            !uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count == 0 ||
            (ulong)inside + count > uint.MaxValue || (ulong)outside + count > uint.MaxValue)
        {
            throw new ContainerPSException("InvalidIdMapping", FailureKind.InvalidArgument,
                $"{parameter} '{text}' is not CONTAINER:HOST:COUNT with numbers and a COUNT of at least 1 (0:100000:65536 maps root and the next 65535 ids to 100000 and up on the host).", text);
        }
        return new IdMapping(inside, outside, count);
    }

    /// <summary>The host id of <paramref name="inside"/>, or null when no line maps it.</summary>
    public static uint? HostIdOf(IdMapping[] map, uint inside) =>
        map.FirstOrDefault(m => inside >= m.ContainerId && inside - m.ContainerId < m.Count) is { } line ? line.HostId + inside - line.ContainerId : null;

    /// <summary>The lines as /proc/PID/uid_map takes them.</summary>
    public static string ToProcFile(IdMapping[] map) =>
        string.Concat(map.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.ContainerId} {m.HostId} {m.Count}\n")));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ContainerId}:{HostId}:{Count}");
}
