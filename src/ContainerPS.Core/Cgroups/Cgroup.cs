using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Cgroups;

/// <summary>
/// A group of ours, "containerps/&lt;name&gt;", in every hierarchy the host mounts (v1 controllers and the cgroup2
/// tree alike). Each setting goes to the hierarchy that holds its controller. Everything we make sits under the
/// containerps/ parent, so a cgroup we did not make is never moved, limited or removed.
/// </summary>
public sealed class Cgroup
{
    public const string Parent = "containerps";

    private readonly IReadOnlyList<CgroupDriverBase> _drivers;

    /// <summary>False for a group at a path an engine chose: the parents on its way are the engine's, never removed here.</summary>
    private readonly bool _underParent = true;

    public Cgroup(string name, IReadOnlyList<CgroupDriverBase>? drivers = null)
    {
        Name = name;
        Path = $"{Parent}/{name}";
        _drivers = drivers ?? CgroupHierarchies.Mounted;
    }

    private Cgroup(string path, IReadOnlyList<CgroupDriverBase> drivers, bool underParent)
    {
        Name = path;
        Path = path;
        _drivers = drivers;
        _underParent = underParent;
    }

    /// <summary>
    /// The group of a container: containerps/&lt;id&gt;, or the path its OCI config's cgroupsPath gave (relative to each
    /// hierarchy's root), in the hierarchies containers get (see <see cref="CgroupHierarchies.ForContainers"/>).
    /// </summary>
    public static Cgroup ForContainer(string id, string? enginePath = null) =>
        enginePath is null || enginePath.Trim('/') == $"{Parent}/{id}"
            ? new(id, CgroupHierarchies.ForContainers)
            : new(enginePath.Trim('/'), CgroupHierarchies.ForContainers, underParent: false);

    /// <summary>The name below containerps/ ("web", "batch/low", or a container's id).</summary>
    public string Name { get; }

    /// <summary>The path relative to each hierarchy's root.</summary>
    public string Path { get; }

    public IReadOnlyList<CgroupDriverBase> Drivers => _drivers;

    public bool Exists() => _drivers.Any(d => d.Exists(Path));

    /// <summary>Creates the group in every hierarchy; on failure removes what it made and rethrows.</summary>
    public void Create()
    {
        var made = new List<CgroupDriverBase>();
        try
        {
            foreach (var driver in _drivers)
            {
                try
                {
                    driver.Create(Path);
                }
                catch (UnauthorizedAccessException e)
                {
                    throw new ContainerPSException("CgroupAccessDenied", FailureKind.PermissionDenied,
                        $"Making cgroup {Path} needs write access to {driver.MountPoint}/{Parent}, which uid {Sys.EffectiveUid} does not have: run pwsh as root.", Path, e);
                }
                made.Add(driver);
            }
        }
        catch
        {
            foreach (var driver in made)
            {
                RemoveFrom(driver);
            }
            throw;
        }
    }

    public void AddProcess(int pid)
    {
        foreach (var driver in _drivers)
        {
            driver.AddProcess(Path, pid);
        }
    }

    /// <summary>Moves every member to its hierarchy's root group, so the group can be removed without killing anyone.</summary>
    public void MoveProcessesToRoot()
    {
        foreach (var driver in _drivers)
        {
            foreach (var pid in driver.Processes(Path))
            {
                driver.AddProcess("", pid);
            }
        }
    }

    /// <summary>Every pid in the group, whichever hierarchy lists it.</summary>
    public IReadOnlyList<int> Processes() => _drivers.SelectMany(d => d.Processes(Path)).Distinct().Order().ToArray();

    /// <summary>Writes the given settings, each where its controller is; refuses settings no mounted hierarchy can hold.</summary>
    public void Apply(CgroupLimits limits)
    {
        foreach (var controller in limits.Controllers())
        {
            if (!_drivers.Any(d => d.Has(controller)))
            {
                throw new ContainerPSException("ControllerNotAvailable", FailureKind.ResourceUnavailable,
                    $"No mounted cgroup hierarchy has the '{controller}' controller, so that limit cannot be set here. Mounted: {string.Join(", ", _drivers.SelectMany(d => d.Controllers).Distinct())}.", controller);
            }
        }
        foreach (var driver in _drivers)
        {
            driver.Apply(Path, limits);
        }
    }

    /// <summary>Lets the group's processes open and mknod only the devices allowed, in every hierarchy that can say so.</summary>
    public void RestrictDevices(IReadOnlyList<Security.DeviceRule> allowed)
    {
        foreach (var driver in _drivers)
        {
            driver.RestrictDevices(Path, allowed);
        }
    }

    public CgroupLimits ReadLimits()
    {
        var limits = new CgroupLimits { Name = Name };
        foreach (var driver in _drivers)
        {
            driver.ReadLimits(Path, limits);
        }
        return limits;
    }

    /// <summary>Accounting from every hierarchy; v1 first, so the v2 tree only fills what no v1 controller counts.</summary>
    public CgroupStat ReadStats()
    {
        var stat = new CgroupStat { Name = Name, Timestamp = DateTime.UtcNow };
        foreach (var driver in _drivers.OrderBy(d => d.Version))
        {
            driver.ReadStats(Path, stat);
        }
        return stat;
    }

    /// <summary>OOM kills in the group (the shim's one question at exit, without reading every statistic).</summary>
    public long ReadOomKills() =>
        _drivers.OrderBy(d => d.Version).Select(d => d.ReadOomKills(Path)).LastOrDefault(n => n is not null) ?? 0;

    /// <summary>Freezes or thaws with the freezer controller where v1 holds it, else with v2's cgroup.freeze.</summary>
    public void Freeze(bool frozen) => Freezer().Freeze(Path, frozen);

    public bool IsFrozen() => _drivers.Any(d => d.CanFreeze && d.Exists(Path) && d.IsFrozen(Path));

    private CgroupDriverBase Freezer() =>
        _drivers.FirstOrDefault(d => d.Version == 1 && d.CanFreeze) ?? _drivers.FirstOrDefault(d => d.CanFreeze)
        ?? throw new ContainerPSException("ControllerNotAvailable", FailureKind.ResourceUnavailable, _drivers.Count == 0
            ? $"{Path} is in no hierarchy, so it cannot be frozen: a container made by a user other than root has no cgroup."
            : "Neither a v1 freezer hierarchy nor a cgroup2 tree is mounted, so the group cannot be frozen.", "freezer");

    /// <summary>SIGKILLs every member (cgroup.kill where the kernel has it), so nothing the container forked outlives it.</summary>
    public void KillAll()
    {
        foreach (var driver in _drivers.OfType<CgroupV2Driver>().Where(d => d.Exists(Path)))
        {
            driver.TryKillAll(Path);
        }
        if (IsFrozen())
        {
            Freeze(false); // a frozen task cannot die until it is thawed
        }
        foreach (var pid in Processes())
        {
            Sys.TryKill(pid, 9);
        }
    }

    /// <summary>
    /// Removes the group everywhere, waiting briefly for killed members to be gone (rmdir is EBUSY until then),
    /// and the containerps/ parent too once no other group uses it.
    /// </summary>
    public void Remove(TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(5));
        foreach (var driver in _drivers)
        {
            while (true)
            {
                try
                {
                    RemoveFrom(driver);
                    break;
                }
                catch (NativeException e) when (e.Errno == (int)Errno.EBUSY && DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(10);
                }
            }
        }
    }

    /// <summary>
    /// Removes the group, then containerps/ too once no other group uses it. Other parents stay, as runc leaves them: a
    /// group's parent may be another group of the user's (New-Cgroup batch, batch/low), or an engine's (default/).
    /// </summary>
    private void RemoveFrom(CgroupDriverBase driver)
    {
        driver.Remove(Path);
        if (!_underParent && !Path.StartsWith(Parent + "/", StringComparison.Ordinal))
        {
            return;
        }
        try
        {
            driver.Remove(Parent);
        }
        catch (NativeException e) when (e.Errno is (int)Errno.EBUSY or (int)Errno.ENOTEMPTY)
        {
            // another group still lives under the parent
        }
    }
}
