using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Cgroups;

/// <summary>
/// The v2 driver's limit translation, checked against a directory tree shaped like cgroup2 (this host binds memory,
/// cpu, pids and io to v1, so no real cgroup2 group can hold these limits). What v2 can do for real here, it does in
/// <see cref="CgroupV2RealTreeTests"/>.
/// </summary>
public sealed class CgroupV2TranslationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cps-fake-cgroup2-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly CgroupV2Driver _driver;

    public CgroupV2TranslationTests()
    {
        _driver = new CgroupV2Driver(_root, ["cpuset", "cpu", "io", "memory", "pids"]);
        Directory.CreateDirectory(Path.Combine(_root, "containerps", "web"));
        foreach (var (file, content) in new[]
        {
            ("cgroup.subtree_control", ""), ("memory.max", "max"), ("memory.swap.max", "max"), ("cpu.weight", "100"),
            ("cpu.max", "max 100000"), ("cpuset.cpus", ""), ("pids.max", "max"), ("io.weight", "default 100"), ("io.max", ""),
        })
        {
            File.WriteAllText(Path.Combine(_root, "containerps", "web", file), content);
        }
    }

    private string Read(string file) => File.ReadAllText(Path.Combine(_root, "containerps", "web", file));

    [Fact]
    public void Limits_become_the_v2_files()
    {
        _driver.Apply("containerps/web", new CgroupLimits
        {
            Memory = ByteSize.Parse("256MB"), MemorySwap = ByteSize.Parse("384MB"), CpuShares = 512, CpuQuota = 0.5,
            CpuSet = "0-1", Pids = 20, IoWeight = 200, IoMax = [new IoDeviceLimit { Device = "8:0", WriteBps = 1048576 }],
        });
        Assert.Equal("268435456", Read("memory.max"));
        Assert.Equal("134217728", Read("memory.swap.max")); // v2 limits swap alone: 384MB total - 256MB memory
        Assert.Equal("50", Read("cpu.weight")); // 512 shares is half the default 1024: half the default weight 100
        Assert.Equal("50000 100000", Read("cpu.max"));
        Assert.Equal("0-1", Read("cpuset.cpus"));
        Assert.Equal("20", Read("pids.max"));
        Assert.Equal("default 200", Read("io.weight"));
        Assert.Equal("8:0 rbps=max wbps=1048576 riops=max wiops=max", Read("io.max"));
    }

    [Fact]
    public void Unlimited_is_written_as_max()
    {
        _driver.Apply("containerps/web", new CgroupLimits { Memory = ByteSize.Unlimited, CpuQuota = -1, Pids = -1 });
        Assert.Equal("max", Read("memory.max"));
        Assert.Equal("max 100000", Read("cpu.max"));
        Assert.Equal("max", Read("pids.max"));
    }

    [Fact]
    public void Files_read_back_as_typed_limits()
    {
        File.WriteAllText(Path.Combine(_root, "containerps", "web", "memory.max"), "67108864\n");
        File.WriteAllText(Path.Combine(_root, "containerps", "web", "memory.swap.max"), "67108864\n");
        File.WriteAllText(Path.Combine(_root, "containerps", "web", "cpu.max"), "20000 100000\n");
        File.WriteAllText(Path.Combine(_root, "containerps", "web", "io.max"), "253:0 rbps=2097152 wbps=max riops=max wiops=120\n");
        var limits = new CgroupLimits();
        _driver.ReadLimits("containerps/web", limits);
        Assert.Equal("64MB", limits.Memory.ToString());
        Assert.Equal("128MB", limits.MemorySwap.ToString());
        Assert.Equal(0.2, limits.CpuQuota);
        Assert.Equal(100, limits.CpuWeight);
        var device = Assert.Single(limits.IoMax!);
        Assert.Equal(("253:0", 2097152L, (long?)null, 120L), (device.Device, device.ReadBps!.Value, device.WriteBps, device.WriteIops!.Value));
    }

    [Fact]
    public void Creating_a_group_delegates_the_controllers_from_the_parent()
    {
        File.WriteAllText(Path.Combine(_root, "cgroup.subtree_control"), "");
        Directory.CreateDirectory(Path.Combine(_root, "containerps"));
        File.WriteAllText(Path.Combine(_root, "containerps", "cgroup.subtree_control"), "memory");
        _driver.Create("containerps/api");
        Assert.Equal("+cpuset +cpu +io +memory +pids", File.ReadAllText(Path.Combine(_root, "cgroup.subtree_control")));
        Assert.Equal("+cpuset +cpu +io +pids", File.ReadAllText(Path.Combine(_root, "containerps", "cgroup.subtree_control")));
        Assert.True(Directory.Exists(Path.Combine(_root, "containerps", "api")));
    }

    [Fact]
    public void A_limit_whose_controller_no_hierarchy_holds_is_refused()
    {
        var pidsOnly = new Cgroup("web", [new CgroupV2Driver(_root, ["pids"])]);
        var error = Assert.Throws<ContainerPS.Core.Interop.ContainerPSException>(() => pidsOnly.Apply(new CgroupLimits { Memory = ByteSize.Parse("64MB") }));
        Assert.Equal("ControllerNotAvailable", error.Reason);
        Assert.Contains("'memory'", error.Message);
        Assert.Equal("max", Read("memory.max"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
