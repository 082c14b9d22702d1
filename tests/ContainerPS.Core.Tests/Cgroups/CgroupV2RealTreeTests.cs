using System.Diagnostics;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Processes;

namespace ContainerPS.Core.Tests.Cgroups;

/// <summary>
/// The v2 driver on this host's real cgroup2 tree: group creation and removal, membership, cgroup.freeze,
/// cgroup.kill and cpu.stat, which are core v2 features that need no controller bound to it.
/// </summary>
public sealed class CgroupV2RealTreeTests : IDisposable
{
    private readonly CgroupV2Driver? _driver = CgroupHierarchies.Discover().OfType<CgroupV2Driver>().FirstOrDefault();
    private readonly string _path = $"{Cgroup.Parent}/cps-v2-{Guid.NewGuid().ToString("N")[..6]}";
    private Process? _busy;

    private CgroupV2Driver Driver()
    {
        RootOnly.Require();
        Skip.If(_driver is null, "no cgroup2 tree is mounted on this host");
        _driver!.Create(_path);
        _busy = Process.Start("/bin/sh", ["-c", "while :; do :; done"]);
        _driver.AddProcess(_path, _busy.Id);
        return _driver;
    }

    [SkippableFact]
    public void Freezing_stops_the_group_from_using_cpu_and_thawing_resumes_it()
    {
        var driver = Driver();
        Assert.Equal([_busy!.Id], driver.Processes(_path));
        driver.Freeze(_path, true);
        Assert.True(driver.IsFrozen(_path));
        Assert.Equal("1", driver.ReadFile(_path, "cgroup.events")!.Split('\n').Single(l => l.StartsWith("frozen")).Split(' ')[1]);
        var frozenAt = CpuUsage(driver);
        Thread.Sleep(300);
        Assert.Equal(frozenAt, CpuUsage(driver));

        driver.Freeze(_path, false);
        Thread.Sleep(300);
        var used = CpuUsage(driver) - frozenAt;
        Assert.True(used > TimeSpan.FromMilliseconds(50), $"thawed group used {used} of CPU in 300 ms");
    }

    private TimeSpan CpuUsage(CgroupV2Driver driver)
    {
        var stat = new CgroupStat();
        driver.ReadStats(_path, stat);
        return stat.CpuUsage!.Value;
    }

    [SkippableFact]
    public void Cgroup_kill_ends_every_member()
    {
        var driver = Driver();
        Assert.True(driver.TryKillAll(_path));
        Assert.True(_busy!.WaitForExit(5000));
        Assert.Empty(driver.Processes(_path));
    }

    public void Dispose()
    {
        if (_busy is { HasExited: false })
        {
            _busy.Kill();
            _busy.WaitForExit();
        }
        _busy?.Dispose();
        if (_driver?.Exists(_path) == true)
        {
            new Cgroup(_path[(Cgroup.Parent.Length + 1)..], [_driver]).Remove();
        }
    }
}
