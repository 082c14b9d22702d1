using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Lists namespaces as lsns does: every /proc/PID/ns/* grouped by identity, plus the namespaces that only a
/// bind mount keeps alive (nsfs entries in /proc/self/mountinfo), such as those New-Namespace and ip netns make.
/// </summary>
public static class NamespaceScan
{
    public static IReadOnlyList<NamespaceInfo> All()
    {
        var members = new Dictionary<(NamespaceKind, ulong, ulong), List<int>>();
        foreach (var pid in Pids())
        {
            foreach (var kind in NamespaceKinds.All)
            {
                if (NamespaceFile.Identity($"/proc/{pid}/ns/{kind.ProcName()}") is { } id)
                {
                    var key = (kind, id.Device, id.Inode);
                    if (!members.TryGetValue(key, out var list))
                    {
                        members[key] = list = [];
                    }
                    list.Add(pid);
                }
            }
        }
        var found = members.Select(m => Describe(m.Key.Item1, m.Key.Item2, m.Key.Item3, m.Value)).ToList();
        foreach (var (path, kind) in BindMounts())
        {
            if (NamespaceFile.Identity(path) is not { } id)
            {
                continue;
            }
            var index = found.FindIndex(n => n.Inode == id.Inode && n.Device == id.Device);
            var named = PersistentNamespace.NameOf(path);
            if (index < 0)
            {
                found.Add(Describe(kind, id.Device, id.Inode, [], path) with { Name = named });
            }
            else if (named is not null)
            {
                found[index] = found[index] with { Name = named, Path = path };
            }
        }
        return found.OrderBy(n => n.Inode).ToArray();
    }

    /// <summary>The namespaces one process is in, one per kind, each with the /proc path that joins it.</summary>
    public static IReadOnlyList<NamespaceInfo>? OfProcess(int pid)
    {
        if (!Directory.Exists($"/proc/{pid}/ns"))
        {
            return null;
        }
        var all = All();
        var mine = new List<NamespaceInfo>();
        foreach (var kind in NamespaceKinds.All)
        {
            var path = $"/proc/{pid}/ns/{kind.ProcName()}";
            if (NamespaceFile.Identity(path) is { } id)
            {
                var known = all.FirstOrDefault(n => n.Kind == kind && n.Inode == id.Inode && n.Device == id.Device);
                mine.Add((known ?? Describe(kind, id.Device, id.Inode, [pid])) with { Path = path });
            }
        }
        return mine;
    }

    private static NamespaceInfo Describe(NamespaceKind kind, ulong device, ulong inode, List<int> pids, string? boundAt = null)
    {
        var owner = pids.Count > 0 ? pids.Min() : 0;
        var path = boundAt ?? $"/proc/{owner}/ns/{kind.ProcName()}";
        using var fd = Sys.TryOpen(path, Tmds.Linux.LibC.O_RDONLY);
        return new NamespaceInfo
        {
            Kind = kind,
            Inode = inode,
            Device = device,
            Processes = pids.Count,
            Pid = owner,
            Command = owner == 0 ? null : Command(owner),
            Uid = owner == 0 ? null : Uid(owner),
            UserNamespace = fd is null ? null : NamespaceFile.OwnerUserNamespace(fd),
            Path = path,
        };
    }

    private static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!));

    /// <summary>nsfs mounts: (mount point, kind from the "kind:[inode]" root field).</summary>
    private static IEnumerable<(string Path, NamespaceKind Kind)> BindMounts()
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var halves = line.Split(" - ");
            if (!halves[1].StartsWith("nsfs ", StringComparison.Ordinal))
            {
                continue;
            }
            var left = halves[0].Split(' ');
            var kindName = left[3].Split(':')[0];
            var kind = NamespaceKinds.All.FirstOrDefault(k => k.ProcName() == kindName);
            if (kind != 0)
            {
                yield return (left[4].Replace("\\040", " "), kind);
            }
        }
    }

    private static string? Command(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
            return cmdline.Length > 0 ? cmdline : File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int? Uid(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return line is null ? null : int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
