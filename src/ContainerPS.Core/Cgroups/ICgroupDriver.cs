namespace ContainerPS.Core.Cgroups;

/// <summary>
/// One cgroup hierarchy, v1 (one directory tree per controller set) or v2 (the unified tree). Paths are relative
/// to the hierarchy's root, e.g. "containerps/&lt;id&gt;", so the same path names a group in every hierarchy.
/// A driver translates only the settings of the controllers its hierarchy holds; <see cref="Cgroup"/> routes.
/// </summary>
public interface ICgroupDriver
{
    string MountPoint { get; }
    int Version { get; }

    /// <summary>The controllers this hierarchy holds, by their v2 names (v1's blkio is "io").</summary>
    IReadOnlyList<string> Controllers { get; }

    void Create(string path);
    bool Exists(string path);
    void AddProcess(string path, int pid);
    IReadOnlyList<int> Processes(string path);

    /// <summary>Removes an empty group (rmdir); EBUSY while processes remain.</summary>
    void Remove(string path);

    void Apply(string path, CgroupLimits limits);

    /// <summary>Denies every device to the group's processes but those allowed; a hierarchy that cannot control devices does nothing.</summary>
    void RestrictDevices(string path, IReadOnlyList<Security.DeviceRule> allowed);
    void ReadLimits(string path, CgroupLimits into);
    void ReadStats(string path, CgroupStat into);

    /// <summary>How many processes the OOM killer ended in the group, or null where this hierarchy has no memory controller.</summary>
    long? ReadOomKills(string path);

    /// <summary>Whether this hierarchy can freeze a group (v1 with the freezer controller; every v2 tree).</summary>
    bool CanFreeze { get; }
    void Freeze(string path, bool frozen);
    bool IsFrozen(string path);
}
