using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>Finds our groups: every directory below containerps/ in any hierarchy.</summary>
public static class CgroupQuery
{
    private const int MaxDepth = 8;

    public static IEnumerable<CgroupInfo> All(ContainerStore store, IReadOnlyList<CgroupDriverBase>? drivers = null)
    {
        drivers ??= CgroupHierarchies.Mounted;
        return Names(drivers).Select(name => Describe(new Cgroup(name, drivers), store));
    }

    /// <summary>The names of our groups (paths below containerps/), from the directories alone.</summary>
    public static IReadOnlyCollection<string> Names(IReadOnlyList<CgroupDriverBase>? drivers = null)
    {
        drivers ??= CgroupHierarchies.Mounted;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var driver in drivers)
        {
            var parent = driver.FullPath(Cgroup.Parent);
            if (Directory.Exists(parent))
            {
                foreach (var dir in Directory.EnumerateDirectories(parent, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = MaxDepth }))
                {
                    names.Add(System.IO.Path.GetRelativePath(parent, dir));
                }
            }
        }
        return names;
    }

    /// <summary>The named group, or throws CgroupNotFound.</summary>
    public static Cgroup Find(string name, IReadOnlyList<CgroupDriverBase>? drivers = null)
    {
        var cgroup = new Cgroup(Validate(name), drivers);
        if (!cgroup.Exists())
        {
            throw new ContainerPSException("CgroupNotFound", FailureKind.ObjectNotFound,
                $"No cgroup '{name}' exists under {Cgroup.Parent}/. Get-Cgroup lists them; New-Cgroup makes one.", name);
        }
        return cgroup;
    }

    public static CgroupInfo Describe(Cgroup cgroup, ContainerStore store) => new()
    {
        Name = cgroup.Name,
        Path = cgroup.Path,
        Container = store.ReadSpec(cgroup.Name) is { } spec && cgroup.Name.Length == 64 ? spec.Name : null,
        Processes = cgroup.Processes().ToArray(),
        Hierarchies = cgroup.Drivers.Where(d => d.Exists(cgroup.Path))
            .Select(d => $"{(d.Version == 2 ? "unified" : string.Join(',', d.Controllers))}: {d.FullPath(cgroup.Path)}").ToArray(),
    };

    /// <summary>Names are paths below containerps/: letters, digits, '_', '.', '-', separated by '/'; never '..'.</summary>
    public static string Validate(string name)
    {
        var trimmed = name.Trim('/');
        if (trimmed.StartsWith(Cgroup.Parent + "/", StringComparison.Ordinal))
        {
            trimmed = trimmed[(Cgroup.Parent.Length + 1)..];
        }
        var parts = trimmed.Split('/');
        if (trimmed.Length == 0 || parts.Any(p => p is "" or "." or ".." || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')))
        {
            throw new ContainerPSException("InvalidCgroupName", FailureKind.InvalidArgument,
                $"'{name}' is not a valid cgroup name. Use letters, digits, '_', '.' and '-', with '/' between levels (web, batch/low); it is created below {Cgroup.Parent}/.", name);
        }
        return trimmed;
    }
}
