namespace ContainerPS.Cmdlets.Tests;

/// <summary>Issue 4's acceptance for containers: limits hold, the OOM kill is reported, freezing freezes.</summary>
public sealed class ContainerLimitTests : IClassFixture<BusyboxRootFs>, IDisposable
{
    private readonly BusyboxRootFs _rootfs;
    private readonly PowerShellSession _ps = new();
    private readonly string _prefix = "cps-t-" + Guid.NewGuid().ToString("N")[..6];

    public ContainerLimitTests(BusyboxRootFs rootfs) => _rootfs = rootfs;

    [SkippableFact]
    public void Memory_hog_is_oom_killed_and_the_kill_is_reported_and_counted()
    {
        RootOnly.Require();
        var name = $"{_prefix}-oom";
        // awk doubles a string until the 32MB limit is hit: the OOM killer ends it.
        var exit = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Memory 32MB -Command awk,'BEGIN {{ s = \"x\"; while (1) s = s s }}' | Start-Container | Wait-Container -Timeout 30").ThrowOnError().Output.Single();
        Assert.True((bool)exit.Properties["OomKilled"].Value);
        Assert.Equal(137, exit.Properties["ExitCode"].Value);
        var stat = _ps.Run($"Get-Container {name} | Get-CgroupStat").ThrowOnError().Output.Single();
        Assert.True((long)stat.Properties["OomKills"].Value >= 1);
        Assert.InRange((long)stat.Properties["MemoryPeak"].Value, 16L << 20, 32L << 20);
    }

    [SkippableFact]
    public void Pids_limit_stops_a_fork_bomb_and_the_host_is_unaffected()
    {
        RootOnly.Require();
        var name = $"{_prefix}-bomb";
        var before = HostResidue.Now();
        _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Pids 20 -Command sh,-c,'bomb() {{ bomb | bomb & }}; bomb; sleep 1000' | Start-Container").ThrowOnError();
        Thread.Sleep(1500);
        var stat = _ps.Run($"Get-Container {name} | Get-CgroupStat").ThrowOnError().Output.Single();
        Assert.InRange((long)stat.Properties["PidsCurrent"].Value, 2, 20);
        using (var host = System.Diagnostics.Process.Start("/bin/true")!)
        {
            host.WaitForExit();
            Assert.Equal(0, host.ExitCode);
        }
        _ps.Run($"Remove-Container {name} -Force").ThrowOnError();
        HostResidue.Now().AssertSameAs(before);
    }

    [SkippableFact]
    public void Cpu_quota_holds_a_busy_loop_near_its_share_of_one_cpu()
    {
        RootOnly.Require();
        var name = $"{_prefix}-cpu";
        _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -CpuQuota 0.2 -Command sh,-c,'while :; do :; done' | Start-Container").ThrowOnError();
        var first = CpuUsage(name);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Thread.Sleep(2000);
        var share = (CpuUsage(name) - first) / clock.Elapsed;
        Assert.InRange(share, 0.15, 0.25);
        var stat = _ps.Run($"Get-Container {name} | Get-CgroupStat").ThrowOnError().Output.Single();
        Assert.True((long)stat.Properties["ThrottledPeriods"].Value > 5);
    }

    [SkippableFact]
    public void Suspend_freezes_the_container_and_resume_thaws_it()
    {
        RootOnly.Require();
        var name = $"{_prefix}-freeze";
        var pid = (int)_ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Command sh,-c,'while :; do :; done' | Start-Container").ThrowOnError().Output.Single().Properties["Pid"].Value;
        var paused = _ps.Run($"Suspend-Container {name} -PassThru").ThrowOnError().Output.Single();
        Assert.Equal("Paused", paused.Properties["State"].Value.ToString());
        Assert.Equal("FROZEN", File.ReadAllText(CgroupLayout.V1File("freezer", (string)paused.Properties["Id"].Value, "freezer.state")).Trim());
        var frozenAt = CpuUsage(name);
        Thread.Sleep(500);
        Assert.Equal(frozenAt, CpuUsage(name));
        Assert.Equal("Paused", _ps.Run($"(Get-Container {name}).State").Lines.Single());

        var running = _ps.Run($"Get-Container {name} | Resume-Container -PassThru").ThrowOnError().Output.Single();
        Assert.Equal("Running", running.Properties["State"].Value.ToString());
        Thread.Sleep(300);
        Assert.True(CpuUsage(name) > frozenAt);
        Assert.True(Directory.Exists($"/proc/{pid}"));
    }

    [SkippableFact]
    public void Limits_of_a_running_container_change_through_the_pipeline()
    {
        RootOnly.Require();
        var name = $"{_prefix}-set";
        var id = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Memory 128MB -Command sleep,1000 | Start-Container").ThrowOnError().Output.Single().Properties["Id"].Value;
        var file = CgroupLayout.V1File("memory", (string)id, "memory.limit_in_bytes");
        Assert.Equal((128L << 20).ToString(), File.ReadAllText(file).Trim());
        var limits = _ps.Run($"Get-Container {name} | Set-CgroupLimit -Memory 64MB -Pids 30 -PassThru").ThrowOnError().Output.Single();
        Assert.Equal((64L << 20).ToString(), File.ReadAllText(file).Trim());
        Assert.Equal("64MB", limits.Properties["Memory"].Value.ToString());
        Assert.Equal(30L, limits.Properties["Pids"].Value);
        Assert.Equal("30", File.ReadAllText(CgroupLayout.V1File("pids", (string)id, "pids.max")).Trim());
    }

    private TimeSpan CpuUsage(string container) =>
        (TimeSpan)_ps.Run($"(Get-Container {container} | Get-CgroupStat).CpuUsage").ThrowOnError().Output.Single().BaseObject;

    public void Dispose()
    {
        _ps.Run($"Get-Container {_prefix}* | Remove-Container -Force").ThrowOnError();
        _ps.Dispose();
    }
}
