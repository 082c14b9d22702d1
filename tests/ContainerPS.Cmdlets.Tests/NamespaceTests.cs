using System.Diagnostics;
using System.Management.Automation;
using System.Text.Json;

namespace ContainerPS.Cmdlets.Tests;

/// <summary>lsns, nsenter, unshare, ip netns and docker exec as cmdlets (issue 5), observed with the util-linux and iproute2 tools.</summary>
public sealed class NamespaceTests : IClassFixture<BusyboxRootFs>, IDisposable
{
    private readonly BusyboxRootFs _rootfs;
    private readonly PowerShellSession _ps = new();
    private readonly string _prefix = "cps-t-" + Guid.NewGuid().ToString("N")[..6];

    public NamespaceTests(BusyboxRootFs rootfs) => _rootfs = rootfs;

    [SkippableFact]
    public void Container_namespaces_have_the_inodes_stat_reports()
    {
        RootOnly.Require();
        var pid = Start("ns", "sleep", "1000");
        var namespaces = _ps.Run($"Get-Namespace -Container {_prefix}-ns").ThrowOnError().Output;
        Assert.Equal(8, namespaces.Count);
        foreach (var ns in namespaces)
        {
            var kind = ns.Properties["Kind"].Value.ToString()!.ToLowerInvariant();
            Assert.Equal(Run("stat", "-L", "-c", "%i", $"/proc/{pid}/ns/{kind}").Trim(), ns.Properties["Inode"].Value.ToString());
        }
    }

    [SkippableFact]
    public void Get_Namespace_lists_the_same_namespaces_as_lsns()
    {
        RootOnly.Require();
        Skip.If(!File.Exists("/usr/bin/lsns"), "lsns (util-linux) is not installed");
        Start("lsns", "sleep", "1000");
        var before = Lsns();
        var ours = _ps.Run("Get-Namespace | ForEach-Object { \"$($_.Kind.ToString().ToLowerInvariant()):$($_.Inode)\" }").ThrowOnError().Lines.ToHashSet();
        var after = Lsns();
        // Processes come and go while the two listings run: ours must hold what both lsns runs saw, and nothing neither saw.
        Assert.Superset(before.Intersect(after).ToHashSet(), ours);
        Assert.Subset(before.Union(after).ToHashSet(), ours);
    }

    [SkippableFact]
    public void Invoke_ContainerCommand_runs_inside_the_container_and_returns_its_exit_code()
    {
        RootOnly.Require();
        Start("exec", "sleep", "1000", hostname: "inside");
        Assert.Equal(["inside"], _ps.Run($"Invoke-ContainerCommand {_prefix}-exec hostname").ThrowOnError().Lines);
        Assert.Equal(["hello world"], _ps.Run($"Invoke-ContainerCommand {_prefix}-exec echo hello world").ThrowOnError().Lines);

        var ps = _ps.Run($"Invoke-ContainerCommand {_prefix}-exec ps").ThrowOnError().Lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.Contains(ps, p => p[0] == "1" && p[^2] == "sleep" && p[^1] == "1000");
        Assert.Equal(2, ps.Length); // sleep and ps itself: nothing of the host

        var marker = "cps-exec-" + Guid.NewGuid().ToString("N")[..6];
        _ps.Run($"Invoke-ContainerCommand {_prefix}-exec touch,/root/{marker}").ThrowOnError();
        Assert.True(File.Exists(Path.Combine(_rootfs.Path, "root", marker)));
        Assert.False(File.Exists($"/root/{marker}"));
        File.Delete(Path.Combine(_rootfs.Path, "root", marker));

        var failing = _ps.Run($"Invoke-ContainerCommand {_prefix}-exec sh,-c,'echo bad >&2; exit 42'; $LASTEXITCODE").ThrowOnError();
        Assert.Equal(["42"], failing.Lines);
        Assert.Contains(failing.Information, i => i.MessageData.ToString() == "bad");

        var env = _ps.Run($"Get-Container {_prefix}-exec | Invoke-ContainerCommand -Command sh,-c,'echo $GREETING $HOSTNAME; pwd' -Environment @{{ GREETING = 'hi' }} -WorkingDirectory /tmp").ThrowOnError();
        Assert.Equal(["hi inside", "/tmp"], env.Lines);
    }

    [SkippableFact]
    public void Exec_joins_the_container_cgroup_and_keeps_its_capability_limits()
    {
        RootOnly.Require();
        var id = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-caps -Command sleep,1000 | Start-Container | ForEach-Object Id").ThrowOnError().Lines.Single();
        var lines = _ps.Run($"Invoke-ContainerCommand {_prefix}-caps sh,-c,'grep -v name= /proc/self/cgroup | head -1; grep CapBnd /proc/self/status'").ThrowOnError().Lines;
        Assert.EndsWith(":/", lines[0]); // its own cgroup namespace, rooted at the container's group
        Assert.Equal("CapBnd:\t00000000a80425fb", lines[1]); // docker's default set
        var procs = Path.Combine(CgroupLayout.V1("memory") ?? CgroupLayout.V2!, "containerps", id, "cgroup.procs");
        var pid = Assert.Single(File.ReadAllLines(procs)); // the exec has ended; sleep remains
        Assert.All(File.ReadAllLines($"/proc/{pid}/cgroup").Where(l => !l.Contains("name=")), l => Assert.EndsWith($":/containerps/{id}", l));
    }

    [SkippableFact]
    public void Enter_Namespace_runs_in_the_namespaces_of_a_pid_and_of_chosen_kinds()
    {
        RootOnly.Require();
        var pid = Start("enter", "sleep", "1000", hostname: "entered");
        Assert.Equal(["entered"], _ps.Run($"Enter-Namespace -Target {pid} -Command hostname").ThrowOnError().Lines);
        Assert.Equal(["entered"], _ps.Run($"Get-Container {_prefix}-enter | Enter-Namespace -Kind Uts -Command hostname").ThrowOnError().Lines);
        // Only the uts namespace joined: still the host's pid namespace and filesystem.
        var hostPid = _ps.Run($"Enter-Namespace -Target {pid} -Kind Uts -Command sh,-c,'echo $$; test -d /home && echo host-root'").ThrowOnError().Lines;
        Assert.NotEqual("1", hostPid[0]);
        Assert.Equal("host-root", hostPid[1]);
        var net = _ps.Run($"Get-Namespace -Container {_prefix}-enter -Kind Net | Enter-Namespace -Command ip,-o,link").ThrowOnError().Lines;
        Assert.Single(net);
        Assert.Contains(" lo:", net[0]);
    }

    [SkippableFact]
    public void A_named_net_namespace_is_seen_and_entered_by_ip_netns_and_removed_with_its_mount()
    {
        RootOnly.Require();
        var name = $"{_prefix}-net";
        var before = HostResidue.Now();
        var made = _ps.Run($"New-Namespace -Name {name} -Kind Net,Uts").ThrowOnError().Output;
        Assert.Equal(["Net", "Uts"], made.Select(n => n.Properties["Kind"].Value.ToString()).Order());
        Assert.Contains(name, Run("ip", "netns", "list"));
        var links = Run("ip", "netns", "exec", name, "ip", "-o", "link").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(" lo:", Assert.Single(links));
        var inode = made.Single(n => n.Properties["Kind"].Value.ToString() == "Net").Properties["Inode"].Value.ToString();
        Assert.Equal(inode, Run("stat", "-L", "-c", "%i", $"/run/netns/{name}").Trim());
        Assert.Equal(["lo"], _ps.Run($"Enter-Namespace -Target {name} -Kind Net -Command ip,-o,link | ForEach-Object {{ $_.Split(':')[1].Trim() }}").ThrowOnError().Lines);

        _ps.Run($"Get-Namespace -Name {name} | Remove-Namespace").ThrowOnError();
        Assert.DoesNotContain(name, Run("ip", "netns", "list"));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(name));
        HostResidue.Now().AssertSameAs(before);
    }

    [SkippableFact]
    public void Two_containers_sharing_a_net_namespace_reach_each_others_loopback_listener()
    {
        RootOnly.Require();
        // The listener echoes what it reads back (cat on the connection), so the talker sees the round trip itself.
        Start("listener", "nc", "-l", "-p", "7070", "-e", "cat");
        var result = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-talker -Namespace (Get-Namespace -Container {_prefix}-listener -Kind Net) " +
            "-Command sh,-c,'for i in 1 2 3 4 5 6 7 8 9 10; do echo hello-over-lo | nc 127.0.0.1 7070 && exit 0; sleep 0.2; done; exit 1' | Start-Container -Attach; $LASTEXITCODE").ThrowOnError();
        Assert.Equal("0", result.Lines.Last());
        Assert.Contains("hello-over-lo", result.Lines);
        Assert.NotNull(_ps.Run($"Wait-Container {_prefix}-listener -Timeout 10").ThrowOnError().Output.SingleOrDefault());
    }

    [SkippableFact]
    public void An_interactive_shell_on_a_pty_runs_commands_inside_and_ctrl_c_reaches_it()
    {
        RootOnly.Require();
        var host = PowerShellSession.Pwsh;
        Skip.IfNot(File.Exists("/usr/bin/script"), "script (util-linux) is not installed");
        var pid = Start("tty", "sleep", "1000", hostname: "ttybox");
        var command = $"Import-Module '{PowerShellSession.Manifest}'; Enter-Container {_prefix}-tty";
        // script gives the host a terminal. Each line is typed once the container shows it is ready for it (pwsh may
        // take seconds to start): the shell inside exists, then a second sleep runs, which Ctrl-C (\003) interrupts.
        var inside = $"pgrep --ns {pid}";
        var typing = $"until {inside} -x sh >/dev/null; do sleep 0.1; done; printf 'hostname; tty\\n'; printf 'sleep 100\\n'; " +
            $"until [ $({inside} -x sleep | wc -l) -ge 2 ]; do sleep 0.1; done; printf '\\003'; " +
            $"while [ $({inside} -x sleep | wc -l) -ge 2 ]; do sleep 0.1; done; printf 'echo after-interrupt\\nexit\\n'; sleep 1";
        var clock = Stopwatch.StartNew();
        // timeout ends the whole process group if a step never comes (a Ctrl-C that did not arrive keeps the sleep).
        var output = Run("timeout", "60", "sh", "-c", $"({typing}) | script -qec \"{host} -NoProfile -Command \\\"{command}\\\"\" /dev/null");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(55), "Ctrl-C did not end the sleep inside");
        Assert.Contains("ttybox", output);
        Assert.Contains("/dev/pts/", output);
        Assert.Contains("after-interrupt", output);
    }

    [SkippableFact]
    public void An_interactive_shell_ends_when_its_input_ends_without_exit()
    {
        RootOnly.Require();
        var host = PowerShellSession.Pwsh;
        Start("eof", "sleep", "1000", hostname: "eofbox");
        // Input from a pipe, not a terminal: its end must reach the shell inside as EOF, as with docker exec -i.
        var output = Run("sh", "-c", $"printf 'hostname\\n' | timeout 30 {host} -NoProfile -Command \"Import-Module '{PowerShellSession.Manifest}'; Enter-Container {_prefix}-eof\"; echo rc=$?");
        Assert.Contains("eofbox", output);
        Assert.DoesNotContain("rc=124", output);
    }

    [SkippableTheory]
    [InlineData("Enter-Namespace -Target 999999999 -Command true", "ProcessNotFound", ErrorCategory.ObjectNotFound, "999999999")]
    [InlineData("Invoke-ContainerCommand {prefix}-stopped true", "ContainerNotRunning", ErrorCategory.InvalidOperation, "is Stopped")]
    [InlineData("New-Namespace -Name {prefix}-pid -Kind Pid", "PidNamespaceNotPersistent", ErrorCategory.InvalidArgument, "cannot outlive its first process")]
    [InlineData("New-Namespace -Name 'bad/name' -Kind Net", "InvalidNamespaceName", ErrorCategory.InvalidArgument, "'bad/name'")]
    [InlineData("Remove-Namespace {prefix}-none", "NamespaceNotFound", ErrorCategory.ObjectNotFound, "{prefix}-none")]
    [InlineData("Invoke-ContainerCommand {prefix}-stopped-running cps-no-such-program", "ExecutableNotFound", ErrorCategory.ObjectNotFound, "cps-no-such-program")]
    public void Bad_input_gives_a_clear_error_and_leaves_nothing(string script, string errorId, ErrorCategory category, string mentions)
    {
        RootOnly.Require();
        _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-stopped -Command true | Start-Container | Wait-Container").ThrowOnError();
        Start("stopped-running", "sleep", "1000");
        var before = HostResidue.Now();
        var error = _ps.Run(script.Replace("{prefix}", _prefix)).SingleError;
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(mentions.Replace("{prefix}", _prefix), error.ToString());
        HostResidue.Now().AssertSameAs(before);
    }

    [SkippableFact]
    public void A_name_already_used_is_refused_whether_ours_or_ip_netns()
    {
        RootOnly.Require();
        var name = $"{_prefix}-dup";
        _ps.Run($"New-Namespace -Name {name} -Kind Uts").ThrowOnError();
        try
        {
            var before = HostResidue.Now();
            Assert.StartsWith("NamespaceNameInUse,", _ps.Run($"New-Namespace -Name {name} -Kind Uts").SingleError.FullyQualifiedErrorId);
            Run("ip", "netns", "add", name + "-ip");
            try
            {
                var error = _ps.Run($"New-Namespace -Name {name}-ip -Kind Net").SingleError;
                Assert.StartsWith("NamespaceNameInUse,", error.FullyQualifiedErrorId);
                Assert.Contains("/run/netns/", error.ToString());
            }
            finally
            {
                Run("ip", "netns", "del", name + "-ip");
            }
            HostResidue.Now().AssertSameAs(before);
        }
        finally
        {
            _ps.Run($"Remove-Namespace {name}").ThrowOnError();
        }
    }

    public void Dispose()
    {
        _ps.Run($"Get-Container {_prefix}* | Remove-Container -Force").ThrowOnError();
        _ps.Run($"Get-Namespace -Name {_prefix}* | Remove-Namespace");
        _ps.Dispose();
    }

    private int Start(string name, params string[] command) => Start(name, command, null);

    private int Start(string name, string first, string second, string? hostname) => Start(name, [first, second], hostname);

    private int Start(string name, string[] command, string? hostname)
    {
        var args = string.Join(",", command.Select(c => $"'{c}'"));
        var host = hostname is null ? "" : $"-Hostname {hostname}";
        var container = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-{name} {host} -Command {args} | Start-Container").ThrowOnError().Output.Single();
        return (int)container.Properties["Pid"].Value;
    }

    private static HashSet<string> Lsns()
    {
        using var doc = JsonDocument.Parse(Run("lsns", "-J", "-o", "NS,TYPE"));
        return doc.RootElement.GetProperty("namespaces").EnumerateArray()
            .Select(n => $"{n.GetProperty("type").GetString()}:{n.GetProperty("ns").GetRawText().Trim('"')}").ToHashSet();
    }

    private static string Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
