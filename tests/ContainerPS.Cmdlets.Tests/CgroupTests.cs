using System.Diagnostics;
using System.Management.Automation;

namespace ContainerPS.Cmdlets.Tests;

/// <summary>Seed 000's cgcreate/cgset/cgexec/cgdelete by hand, as cmdlets, on standalone groups.</summary>
public sealed class CgroupTests : IDisposable
{
    private readonly PowerShellSession _ps = new();
    private readonly string _name = "cps-t-" + Guid.NewGuid().ToString("N")[..6];
    private Process? _sleeper;

    [SkippableFact]
    public void New_set_get_and_remove_a_group_in_every_hierarchy()
    {
        RootOnly.Require();
        var memoryLimit = CgroupLayout.V1File("memory", _name, "memory.limit_in_bytes");
        var shares = CgroupLayout.V1File("cpu", _name, "cpu.shares");
        var before = HostResidue.Now();
        var info = _ps.Run($"New-Cgroup {_name} -Memory 256MB -CpuShares 512").ThrowOnError().Output.Single();
        Assert.Equal($"containerps/{_name}", info.Properties["Path"].Value);
        Assert.Equal((256L << 20).ToString(), File.ReadAllText(memoryLimit).Trim());
        Assert.Equal("512", File.ReadAllText(shares).Trim());
        Assert.All(CgroupLayout.MountPoints, m => Assert.True(Directory.Exists(Path.Combine(m, "containerps", _name)), m));

        _ps.Run($"Set-CgroupLimit {_name} -CpuQuota 0.5 -CpuSet 0").ThrowOnError();
        var limits = _ps.Run($"Get-Cgroup {_name} | Get-CgroupLimit").ThrowOnError().Output.Single();
        Assert.Equal(0.5, limits.Properties["CpuQuota"].Value);
        Assert.Equal("0", limits.Properties["CpuSet"].Value);
        Assert.Equal("256MB", limits.Properties["Memory"].Value.ToString());

        _ps.Run($"Remove-Cgroup {_name}").ThrowOnError();
        Assert.False(File.Exists(memoryLimit));
        HostResidue.Now().AssertSameAs(before);
    }

    [SkippableFact]
    public void Io_throttle_per_device_is_written_to_blkio_and_read_back()
    {
        RootOnly.Require();
        var device = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')).First(f => f[4] == "/")[2]; // major:minor of /
        var writeBps = CgroupLayout.V1File("blkio", _name, "blkio.throttle.write_bps_device");
        _ps.Run($"New-Cgroup {_name}").ThrowOnError();
        var limits = _ps.Run($"Set-CgroupLimit {_name} -IoMax @{{ Device = '{device}'; WriteBps = 1MB; ReadIops = 500 }} -PassThru").ThrowOnError().Output.Single();
        Assert.Equal($"{device} 1048576", File.ReadAllText(writeBps).Trim());
        var io = Assert.Single((object[])limits.Properties["IoMax"].Value);
        Assert.Equal($"{device} rbps=max wbps=1048576 riops=500 wiops=max", io.ToString());
    }

    [SkippableFact]
    public void Add_CgroupProcess_Command_runs_inside_the_group_like_cgexec()
    {
        RootOnly.Require();
        _ps.Run($"New-Cgroup {_name}").ThrowOnError();
        var result = _ps.Run($"Add-CgroupProcess {_name} -Command sh,-c,'grep -v name= /proc/self/cgroup; exit 7'; \"rc=$LASTEXITCODE\"").ThrowOnError();
        Assert.Equal("rc=7", result.Lines[^1]);
        // Every hierarchy, v1 controllers (entered through `tasks`) and the cgroup2 tree (CLONE_INTO_CGROUP) alike.
        var hierarchies = File.ReadAllLines("/proc/self/cgroup").Count(l => !l.Contains("name="));
        Assert.Equal(hierarchies, result.Lines.Count(l => l.EndsWith($":/containerps/{_name}", StringComparison.Ordinal)));
        Assert.Contains("0::/containerps/" + _name, result.Lines);
    }

    [SkippableFact]
    public void A_host_process_moves_in_and_Get_Cgroup_Process_shows_where_it_is()
    {
        RootOnly.Require();
        var memoryGroup = CgroupLayout.V1File("memory", _name, "");
        _ps.Run($"New-Cgroup {_name}").ThrowOnError();
        _sleeper = Process.Start("/bin/sleep", "1000");
        _ps.Run($"Add-CgroupProcess {_name} -ProcessId {_sleeper.Id}").ThrowOnError();
        var entries = _ps.Run($"Get-Cgroup -Process {_sleeper.Id}").ThrowOnError().Output;
        Assert.Contains(entries, e => ((string[])e.Properties["Controllers"].Value).Contains("memory") && (string)e.Properties["Path"].Value == $"/containerps/{_name}");
        Assert.Contains(entries, e => (int)e.Properties["Version"].Value == 2 && (string)e.Properties["Path"].Value == $"/containerps/{_name}");
        Assert.Equal([_sleeper.Id], (int[])_ps.Run($"Get-Cgroup {_name}").Output.Single().Properties["Processes"].Value);

        var refused = _ps.Run($"Remove-Cgroup {_name}").SingleError;
        Assert.StartsWith("CgroupNotEmpty,", refused.FullyQualifiedErrorId);
        Assert.True(Directory.Exists(memoryGroup));

        _ps.Run($"Remove-Cgroup {_name} -Force").ThrowOnError();
        Assert.False(Directory.Exists(memoryGroup));
        Assert.False(_sleeper.HasExited); // moved out, not killed
        Assert.All(File.ReadAllLines($"/proc/{_sleeper.Id}/cgroup").Where(l => !l.Contains("name=")), l => Assert.EndsWith(":/", l));
    }

    [SkippableTheory]
    [InlineData("New-Cgroup {name} -Memory lots", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument, "'lots' is not a memory size")]
    [InlineData("New-Cgroup {name} -Memory -5", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument, "'-5' is not a memory size")]
    [InlineData("New-Cgroup {name} -CpuQuota 0", "InvalidCpuQuota", ErrorCategory.InvalidArgument, "more than 0")]
    [InlineData("New-Cgroup {name} -Pids 0", "InvalidPidsLimit", ErrorCategory.InvalidArgument, "-1 for no limit")]
    [InlineData("New-Cgroup '../escape'", "InvalidCgroupName", ErrorCategory.InvalidArgument, "'../escape'")]
    [InlineData("Set-CgroupLimit cps-no-such-group -Memory 64MB", "CgroupNotFound", ErrorCategory.ObjectNotFound, "'cps-no-such-group'")]
    [InlineData("Add-CgroupProcess cps-no-such-group -ProcessId 1", "CgroupNotFound", ErrorCategory.ObjectNotFound, "New-Cgroup")]
    [InlineData("Get-Cgroup -Process 999999999", "ProcessNotFound", ErrorCategory.ObjectNotFound, "999999999")]
    public void Bad_input_gives_a_clear_error_and_changes_nothing(string script, string errorId, ErrorCategory category, string mentions)
    {
        RootOnly.Require();
        var before = HostResidue.Now();
        var error = _ps.Run(script.Replace("{name}", _name)).SingleError;
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(mentions, error.ToString());
        HostResidue.Now().AssertSameAs(before);
    }

    [SkippableFact]
    public void Moving_a_nonexistent_process_is_refused_and_the_group_stays_empty()
    {
        RootOnly.Require();
        _ps.Run($"New-Cgroup {_name}").ThrowOnError();
        var error = _ps.Run($"Add-CgroupProcess {_name} -ProcessId 999999999").SingleError;
        Assert.StartsWith("ProcessNotFound,", error.FullyQualifiedErrorId);
        Assert.Empty((int[])_ps.Run($"Get-Cgroup {_name}").Output.Single().Properties["Processes"].Value);
    }

    public void Dispose()
    {
        if (_sleeper is { HasExited: false })
        {
            _sleeper.Kill();
            _sleeper.WaitForExit();
        }
        _ps.Run($"Get-Cgroup {_name} -ErrorAction Ignore | Remove-Cgroup -Force");
        _ps.Dispose();
    }
}
