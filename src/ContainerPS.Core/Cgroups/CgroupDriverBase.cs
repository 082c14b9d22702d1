using System.Globalization;
using System.Text;
using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Cgroups;

/// <summary>What v1 and v2 do alike: a group is a directory, its members are listed in cgroup.procs, settings are files.</summary>
public abstract class CgroupDriverBase(string mountPoint, IReadOnlyList<string> controllers) : ICgroupDriver
{
    public string MountPoint { get; } = mountPoint;
    public IReadOnlyList<string> Controllers { get; } = controllers;
    public abstract int Version { get; }
    public abstract bool CanFreeze { get; }

    public bool Has(string controller) => Controllers.Contains(controller);

    public string FullPath(string path) => Path.Combine(MountPoint, path);

    public virtual void Create(string path) => Directory.CreateDirectory(FullPath(path));

    public bool Exists(string path) => Directory.Exists(FullPath(path));

    public void AddProcess(string path, int pid) => WriteFile(path, "cgroup.procs", pid.ToString(CultureInfo.InvariantCulture));

    public IReadOnlyList<int> Processes(string path) =>
        ReadFile(path, "cgroup.procs")?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray() ?? [];

    public void Remove(string path) => Sys.RemoveDirectory(FullPath(path));

    public abstract void Apply(string path, CgroupLimits limits);
    public abstract void RestrictDevices(string path, IReadOnlyList<Security.DeviceRule> allowed);
    public abstract void ReadLimits(string path, CgroupLimits into);
    public abstract void ReadStats(string path, CgroupStat into);

    /// <summary>How many processes the OOM killer ended in the group, or null where this hierarchy has no memory controller.</summary>
    public abstract long? ReadOomKills(string path);
    public abstract void Freeze(string path, bool frozen);
    public abstract bool IsFrozen(string path);

    /// <summary>
    /// Writes a control file with one write(2), so a refusal comes back as the kernel's errno: a
    /// <see cref="CgroupWriteRefusedException"/> naming the file, the value and what would be valid.
    /// </summary>
    public void WriteFile(string path, string file, string value)
    {
        var target = Path.Combine(FullPath(path), file);
        try
        {
            using var fd = Sys.Open(target, O_WRONLY | O_TRUNC);
            Sys.Write(fd, Encoding.UTF8.GetBytes(value), target);
        }
        catch (NativeException e)
        {
            throw new CgroupWriteRefusedException(target, value, e, CgroupWriteHint.For(this, path, file, e.Errno));
        }
    }

    public string? ReadFile(string path, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(FullPath(path), file)).TrimEnd('\n');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A number from a one-value file; null when the file is absent or says "max".</summary>
    protected long? ReadNumber(string path, string file) =>
        ReadFile(path, file) is { } text && long.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A "key value" line of a flat-keyed file (memory.events, cpu.stat, memory.oom_control).</summary>
    protected long? ReadKey(string path, string file, string key)
    {
        foreach (var line in (ReadFile(path, file) ?? "").Split('\n'))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>Waits until a freeze or thaw has settled (v1 passes through FREEZING; v2 reports in cgroup.events).</summary>
    protected static void WaitFor(Func<bool> settled, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!settled())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ContainerPS.Core.Interop.ContainerPSException("CgroupFreezeTimedOut", ContainerPS.Core.Interop.FailureKind.OperationTimeout,
                    $"{what} did not settle within 10 seconds; a process of the group may be stuck in the kernel (in uninterruptible sleep, state D in ps).", what);
            }
            Thread.Sleep(5);
        }
    }
}
