namespace ContainerPS.Cmdlets.Tests;

/// <summary>Seed 000's isolation experiments, run as pipelines and observed from inside and outside the container.</summary>
public sealed class ContainerIsolationTests : IClassFixture<BusyboxRootFs>, IDisposable
{
    private readonly BusyboxRootFs _rootfs;
    private readonly PowerShellSession _ps = new();
    private readonly string _prefix = "cps-t-" + Guid.NewGuid().ToString("N")[..6];

    public ContainerIsolationTests(BusyboxRootFs rootfs) => _rootfs = rootfs;

    [SkippableFact]
    public void Pipeline_from_a_new_rootfs_prints_the_container_hostname_and_leaves_the_host_hostname()
    {
        RootOnly.Require();
        var hostname = File.ReadAllText("/proc/sys/kernel/hostname").Trim();
        var rootfs = _rootfs.Path + "-own";
        try
        {
            var result = _ps.Run($"New-ContainerRootFs -Path '{rootfs}' -Busybox | New-Container -Name {_prefix}-kevin -Command hostname -Hostname kevin | Start-Container -Attach").ThrowOnError();
            Assert.Equal(["kevin"], result.Lines);
            Assert.Equal(hostname, File.ReadAllText("/proc/sys/kernel/hostname").Trim());
        }
        finally
        {
            if (Directory.Exists(rootfs))
            {
                Directory.Delete(rootfs, true);
            }
        }
    }

    [SkippableFact]
    public void Command_is_pid_1_and_ps_sees_only_the_container()
    {
        RootOnly.Require();
        var lines = Attach("ps", "-o", "pid,comm");
        Assert.Matches(@"^\s*PID\s+COMMAND$", lines[0]);
        Assert.Equal(["1", "ps"], Assert.Single(lines.Skip(1)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableFact]
    public void Root_directory_is_the_rootfs_not_the_host()
    {
        RootOnly.Require();
        var marker = "cps-marker-" + Guid.NewGuid().ToString("N")[..6];
        File.WriteAllText(Path.Combine(_rootfs.Path, marker), "");
        try
        {
            var entries = Attach("ls", "/");
            Assert.Contains(marker, entries);
            Assert.DoesNotContain("home", entries); // the host has /home, the busybox rootfs does not
            Assert.False(File.Exists("/" + marker));
        }
        finally
        {
            File.Delete(Path.Combine(_rootfs.Path, marker));
        }
    }

    [SkippableFact]
    public void Container_root_seen_through_proc_is_not_the_host_root()
    {
        RootOnly.Require();
        var pid = StartDetached("sleep", "1000");
        var containerRoot = new DirectoryInfo($"/proc/{pid}/root/").GetFileSystemInfos().Select(i => i.Name).Order().ToArray();
        var hostRoot = new DirectoryInfo("/").GetFileSystemInfos().Select(i => i.Name).Order().ToArray();
        Assert.NotEqual(hostRoot, containerRoot);
        Assert.Equal(new DirectoryInfo(_rootfs.Path).GetFileSystemInfos().Select(i => i.Name).Order(), containerRoot);
        Assert.Equal(["/"], Attach("readlink", "/proc/1/root"));
    }

    [SkippableFact]
    public void Tmpfs_mounted_inside_is_invisible_on_the_host()
    {
        RootOnly.Require();
        var name = $"{_prefix}-secret";
        var result = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Privileged -Command sh,-c,'mkdir -p /secret && mount -t tmpfs tmpfs /secret && echo hidden > /secret/file && grep -c /secret /proc/self/mounts' | Start-Container -Attach").ThrowOnError();
        Assert.Equal(["1"], result.Lines);
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mounts"), line => line.Contains("/secret"));
        Assert.False(File.Exists(Path.Combine(_rootfs.Path, "secret", "file")));
        Directory.Delete(Path.Combine(_rootfs.Path, "secret"));
    }

    [SkippableFact]
    public void A_read_only_mount_is_read_only_below_its_submounts_too_and_a_writable_one_writes_through()
    {
        RootOnly.Require();
        var source = Path.Combine(Path.GetTempPath(), $"{_prefix}-src");
        var sub = Path.Combine(source, "sub");
        Directory.CreateDirectory(sub);
        Run("mount", "-t", "tmpfs", "tmpfs", sub);
        try
        {
            File.WriteAllText(Path.Combine(sub, "inside"), "from the host\n");
            var ro = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-ro -Mount '{source}:/data:ro' -Command sh,-c,'cat /data/sub/inside; touch /data/top 2>&1; touch /data/sub/below 2>&1; true' | Start-Container -Attach").ThrowOnError().Lines;
            Assert.Equal("from the host", ro[0]);
            Assert.Equal(2, ro.Count(l => l.Contains("Read-only file system")));
            Assert.False(File.Exists(Path.Combine(sub, "below")));

            _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-rw -Mount '{source}:/data' -Command touch,/data/sub/below | Start-Container -Attach").ThrowOnError();
            Assert.True(File.Exists(Path.Combine(sub, "below")));
        }
        finally
        {
            Run("umount", sub);
            Directory.Delete(source, recursive: true);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(program, arguments);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    [SkippableFact]
    public void Network_namespace_has_only_loopback()
    {
        RootOnly.Require();
        var links = Attach("ip", "-o", "link").Select(l => l.Split(':')[1].Trim()).ToArray();
        Assert.Equal(["lo"], links);
    }

    [SkippableFact]
    public void Dev_holds_only_the_safe_devices_and_sys_is_read_only()
    {
        RootOnly.Require();
        var dev = Attach("ls", "/dev");
        Assert.Equal(["fd", "full", "null", "ptmx", "pts", "random", "shm", "stderr", "stdin", "stdout", "tty", "urandom", "zero"], dev.Order());
        var sys = Attach("sh", "-c", "touch /sys/cps 2>&1; grep ' /sys ' /proc/self/mounts");
        Assert.Contains("Read-only file system", sys[0]);
        Assert.StartsWith("sysfs /sys sysfs ro,", sys[1]);
        Assert.Matches("^tmpfs /tmp tmpfs rw,", Attach("grep", " /tmp ", "/proc/self/mounts")[0]);
    }

    [SkippableFact]
    public void Environment_and_working_directory_reach_the_process()
    {
        RootOnly.Require();
        var name = $"{_prefix}-env";
        var lines = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Environment @{{ GREETING = 'hello there' }} -WorkingDirectory /tmp -Command sh,-c,'echo $GREETING; pwd; echo $HOSTNAME' | Start-Container -Attach").ThrowOnError().Lines;
        Assert.Equal(["hello there", "/tmp", name], lines);
    }

    [SkippableFact]
    public void The_process_and_an_exec_start_with_no_signal_ignored_or_blocked()
    {
        RootOnly.Require();
        var name = $"{_prefix}-signals";
        // .NET ignores SIGPIPE in the shim and the session; a container's programs must not inherit that (`yes | head`).
        var status = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Command cat,/proc/self/status | Start-Container -Attach").ThrowOnError().Lines;
        Assert.Contains("SigIgn:\t0000000000000000", status);
        Assert.Contains("SigBlk:\t0000000000000000", status);
        _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name}-exec -Command sleep,1000 | Start-Container").ThrowOnError();
        var exec = _ps.Run($"Invoke-ContainerCommand {name}-exec cat,/proc/self/status").ThrowOnError().Lines;
        Assert.Contains("SigIgn:\t0000000000000000", exec);
        Assert.Contains("SigBlk:\t0000000000000000", exec);
    }

    [SkippableFact]
    public void Namespaces_differ_from_the_host_for_requested_kinds_and_equal_it_for_the_rest()
    {
        RootOnly.Require();
        var all = new[] { "cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts" };
        foreach (var (requested, arguments) in new[]
        {
            (new[] { "cgroup", "ipc", "mnt", "net", "pid", "uts" }, ""),
            (new[] { "mnt", "pid" }, "-Namespace Mnt,Pid"),
        })
        {
            var pid = StartDetached(["sleep", "1000"], arguments);
            foreach (var kind in all)
            {
                var host = new FileInfo($"/proc/self/ns/{kind}").LinkTarget;
                var container = new FileInfo($"/proc/{pid}/ns/{kind}").LinkTarget;
                Assert.NotNull(container);
                if (requested.Contains(kind))
                {
                    Assert.NotEqual(host, container);
                }
                else
                {
                    Assert.Equal(host, container);
                }
            }
        }
    }

    public void Dispose()
    {
        _ps.Run($"Get-Container {_prefix}* | Remove-Container -Force").ThrowOnError();
        _ps.Dispose();
    }

    private string[] Attach(params string[] command)
    {
        var name = $"{_prefix}-{Guid.NewGuid().ToString("N")[..4]}";
        return _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Command {Quote(command)} | Start-Container -Attach").ThrowOnError().Lines;
    }

    private int StartDetached(string[] command, string arguments = "")
    {
        var name = $"{_prefix}-{Guid.NewGuid().ToString("N")[..4]}";
        var started = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} {arguments} -Command {Quote(command)} | Start-Container").ThrowOnError();
        return (int)started.Output.Single().Properties["Pid"].Value;
    }

    private int StartDetached(params string[] command) => StartDetached(command, "");

    private static string Quote(string[] command) => string.Join(",", command.Select(c => $"'{c.Replace("'", "''")}'"));
}
