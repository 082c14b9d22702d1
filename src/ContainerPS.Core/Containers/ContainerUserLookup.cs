using System.Globalization;
using ContainerPS.Core.Rootfs;
using ContainerPS.Core.Security;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// -User and -Group as docker reads --user and --group-add: a number or a name looked up in the container's own
/// /etc/passwd and /etc/group (never the host's). A user without a group takes its passwd group, or 0 for a number
/// that passwd does not list; the additional groups are those /etc/group lists the user name in, and those given.
/// </summary>
public static class ContainerUserLookup
{
    /// <param name="root">The container's root as the host sees it: the rootfs, or /proc/PID/root for a running one.</param>
    public static ProcessUser Resolve(string root, string user, IReadOnlyList<string> groups)
    {
        var colon = user.IndexOf(':');
        var (userPart, groupPart) = colon < 0 ? (user, null) : (user[..colon], user[(colon + 1)..]);
        if (userPart.Length == 0 || groupPart is "" || groupPart?.Contains(':') == true)
        {
            throw new ContainerPSException("InvalidUser", FailureKind.InvalidArgument,
                $"-User '{user}' is not valid. Use USER or USER:GROUP, each a number or a name from the container's /etc/passwd and /etc/group: 1000, 1000:1000, nobody:nogroup.", user);
        }
        var passwd = Entries(root, "/etc/passwd");
        var groupFile = Entries(root, "/etc/group");
        var entry = passwd.FirstOrDefault(e => e.Length > 3 && (e[0] == userPart || e[2] == userPart));
        uint uid;
        if (uint.TryParse(userPart, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            uid = number;
        }
        else
        {
            uid = entry is null ? throw Unknown("UnknownUser", $"-User '{user}': no user '{userPart}' in the container's /etc/passwd. Give a number (-User 1000:1000) or a user the rootfs lists.", user)
                : uint.Parse(entry[2], CultureInfo.InvariantCulture);
        }
        var gid = groupPart is null
            ? entry is not null && uint.TryParse(entry[3], CultureInfo.InvariantCulture, out var own) ? own : 0
            : Group(groupFile, groupPart, "-User '" + user + "'");
        var member = entry?[0] ?? userPart;
        var additional = groupFile.Where(g => g.Length > 3 && g[3].Split(',').Contains(member) && uint.TryParse(g[2], CultureInfo.InvariantCulture, out _))
            .Select(g => uint.Parse(g[2], CultureInfo.InvariantCulture))
            .Concat(groups.Select(g => Group(groupFile, g, "-Group")));
        return new ProcessUser(uid, gid, additional.Distinct().Order().ToArray());
    }

    private static uint Group(List<string[]> groupFile, string group, string parameter)
    {
        if (uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
        {
            return gid;
        }
        var entry = groupFile.FirstOrDefault(e => e.Length > 2 && e[0] == group) ?? throw Unknown("UnknownGroup",
            $"{parameter}: no group '{group}' in the container's /etc/group. Give a number or a group the rootfs lists.", group);
        return uint.Parse(entry[2], CultureInfo.InvariantCulture);
    }

    /// <summary>The colon-separated lines of a file inside the root (symlinks resolved inside it); none when it is missing.</summary>
    private static List<string[]> Entries(string root, string path)
    {
        var file = SecurePath.Join(root, path);
        return File.Exists(file)
            ? File.ReadLines(file).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':')).ToList()
            : [];
    }

    private static ContainerPSException Unknown(string reason, string message, string target) => new(reason, FailureKind.ObjectNotFound, message, target);
}
