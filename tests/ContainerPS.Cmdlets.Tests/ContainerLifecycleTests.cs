using System.Diagnostics;
using System.Management.Automation;

namespace ContainerPS.Cmdlets.Tests;

/// <summary>create, start, state, kill, delete: OCI semantics through the cmdlets, across sessions.</summary>
public sealed class ContainerLifecycleTests : IClassFixture<BusyboxRootFs>, IDisposable
{
    private readonly BusyboxRootFs _rootfs;
    private readonly PowerShellSession _ps = new();
    private readonly string _prefix = "cps-t-" + Guid.NewGuid().ToString("N")[..6];

    public ContainerLifecycleTests(BusyboxRootFs rootfs) => _rootfs = rootfs;

    [SkippableFact]
    public void Detached_container_outlives_its_session_and_stops_within_the_grace_period()
    {
        RootOnly.Require();
        var name = $"{_prefix}-sleep";
        using (var first = new PowerShellSession())
        {
            var created = first.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Command sleep,1000").ThrowOnError();
            Assert.Equal("Created", created.Output.Single().Properties["State"].Value.ToString());
            first.Run($"Start-Container {name}").ThrowOnError();
        }
        using var second = new PowerShellSession();
        var running = second.Run($"Get-Container {name}").ThrowOnError().Output.Single();
        Assert.Equal("Running", running.Properties["State"].Value.ToString());
        var pid = (int)running.Properties["Pid"].Value;
        Assert.Contains("sleep", File.ReadAllText($"/proc/{pid}/cmdline"));

        var clock = Stopwatch.StartNew();
        var stopped = second.Run($"Stop-Container {name} -Timeout 2 -PassThru").ThrowOnError().Output.Single();
        clock.Stop();
        Assert.Equal("Stopped", stopped.Properties["State"].Value.ToString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(6)); // sleep as PID 1 ignores SIGTERM: SIGKILL after 2 s
        Assert.False(Directory.Exists($"/proc/{pid}"));

        var exit = second.Run($"Wait-Container {name}").ThrowOnError().Output.Single();
        Assert.Equal(137, exit.Properties["ExitCode"].Value);
        Assert.Equal(9, exit.Properties["ExitSignal"].Value);
        Assert.Equal("Stopped", second.Run($"Get-Container -State Stopped | Where-Object Name -eq {name} | ForEach-Object State").Lines.Single());
    }

    [SkippableFact]
    public void A_new_session_sees_the_exit_of_a_container_that_ended_while_no_session_ran()
    {
        RootOnly.Require();
        var name = $"{_prefix}-quick";
        using (var first = new PowerShellSession())
        {
            first.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Command sh,-c,'echo one; echo two >&2; exit 4' | Start-Container").ThrowOnError();
        }
        Thread.Sleep(300);
        using var second = new PowerShellSession();
        var exit = second.Run($"Get-Container {name} | Wait-Container -Timeout 10").ThrowOnError().Output.Single();
        Assert.Equal(4, exit.Properties["ExitCode"].Value);
        var log = second.Run($"Get-ContainerLog {name}").ThrowOnError().Output;
        Assert.Equal(["stderr two", "stdout one"], log.Select(e => $"{e.Properties["Stream"].Value} {e.Properties["Text"].Value}").Order());
        Assert.Equal(["two"], second.Run($"Get-ContainerLog {name} -Tail 1 | ForEach-Object Text").Lines.Where(l => l == "two").ToArray());
    }

    [SkippableFact]
    public void Attach_sets_LASTEXITCODE_and_keeps_stderr_out_of_the_output()
    {
        RootOnly.Require();
        var result = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-rc -Command sh,-c,'echo out; echo err >&2; exit 3' | Start-Container -Attach; \"rc=$LASTEXITCODE\"").ThrowOnError();
        Assert.Equal(["out", "rc=3"], result.Lines);
        Assert.Contains(result.Information, i => i.MessageData.ToString() == "err");
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_command_that_cannot_be_executed_ends_with_127_and_says_why_in_the_log()
    {
        RootOnly.Require();
        // Executable by its mode, so the create-time check passes, but not a program: execve fails after "ready".
        var bogus = Path.Combine(_rootfs.Path, "bin", $"{_prefix}-noexec");
        File.WriteAllText(bogus, "not a program\n");
        File.SetUnixFileMode(bogus, (UnixFileMode)0x1ED);
        try
        {
            var result = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-noexec -Command /bin/{_prefix}-noexec | Start-Container -Attach; \"rc=$LASTEXITCODE\"").ThrowOnError();
            Assert.Equal(["rc=127"], result.Lines);
            // Past "ready" the shim still hears from the process until it exec's, and logs why it could not.
            Assert.Contains(result.Information, i => i.MessageData.ToString()!.StartsWith("containerps: the command could not be started: execve", StringComparison.Ordinal)
                && i.MessageData.ToString()!.Contains($"/bin/{_prefix}-noexec") && i.MessageData.ToString()!.Contains("ENOEXEC"));
        }
        finally
        {
            File.Delete(bogus);
        }
    }

    [SkippableFact]
    public void Remove_refuses_a_running_container_without_force_and_removes_it_with_force()
    {
        RootOnly.Require();
        var name = $"{_prefix}-rm";
        var before = HostResidue.Now();
        _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Command sleep,1000 | Start-Container").ThrowOnError();
        var refused = _ps.Run($"Remove-Container {name}").SingleError;
        Assert.Equal("ContainerNotStopped,ContainerPS.Commands.RemoveContainerCommand", refused.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, refused.CategoryInfo.Category);
        Assert.Equal("Running", _ps.Run($"(Get-Container {name}).State").Lines.Single());

        _ps.Run($"Remove-Container {name} -Force").ThrowOnError();
        Assert.Empty(_ps.Run($"Get-Container {_prefix}*").Output);
        HostResidue.Now().AssertSameAs(before);
    }

    [SkippableFact]
    public void Attach_with_Remove_leaves_nothing_once_the_container_has_exited()
    {
        RootOnly.Require();
        var before = HostResidue.Now();
        var result = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-rm1 -Command sh,-c,'echo once; exit 2' | Start-Container -Attach -Remove; \"rc=$LASTEXITCODE\"").ThrowOnError();
        Assert.Equal(["once", "rc=2"], result.Lines);
        Assert.Empty(_ps.Run($"Get-Container {_prefix}-rm1 -ErrorAction Ignore").Output);
        HostResidue.Now().AssertSameAs(before);
        Assert.StartsWith("RemoveNeedsAttach,", _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-rm2 -Command true | Start-Container -Remove").SingleError.FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void A_container_whose_shim_was_killed_still_stops_and_is_removed()
    {
        RootOnly.Require();
        var name = $"{_prefix}-orphan";
        var before = HostResidue.Now();
        var id = (string)_ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Command sleep,1000 | Start-Container").ThrowOnError().Output.Single().Properties["Id"].Value;
        var shim = int.Parse(System.Text.RegularExpressions.Regex.Match(File.ReadAllText($"/run/containerps/{id}/state.json"), "\"ShimPid\": (\\d+)").Groups[1].Value);
        System.Diagnostics.Process.GetProcessById(shim).Kill();
        Assert.Equal("Running True", _ps.Run($"Get-Container {name} | ForEach-Object {{ \"$($_.State) $($_.Orphaned)\" }}").Lines.Single()); // the process, not the shim, says so
        var stopped = _ps.Run($"Stop-Container {name} -Timeout 1 -PassThru").ThrowOnError().Output.Single();
        Assert.Equal("Stopped", stopped.Properties["State"].Value.ToString());
        // Stop-Container traced the orphan, so its end was seen: sleep, PID 1 with no SIGTERM handler, took the SIGKILL.
        Assert.Equal(137, stopped.Properties["ExitCode"].Value);
        _ps.Run($"Remove-Container {name}").ThrowOnError();
        HostResidue.Now().AssertSameAs(before);
    }

    [SkippableFact]
    public void WhatIf_creates_nothing()
    {
        RootOnly.Require();
        var before = HostResidue.Now();
        var result = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-whatif -Command true -WhatIf").ThrowOnError();
        Assert.Empty(result.Output);
        HostResidue.Now().AssertSameAs(before);
    }

    [SkippableFact]
    public void A_spare_shim_waits_ahead_is_replaced_when_killed_and_ends_when_its_stdin_closes()
    {
        RootOnly.Require();
        _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-spare1 -Command true").ThrowOnError();
        var spare = WaitForSpare(except: 0);
        Assert.NotEqual(spare, HostResidue.Stat(spare)?.Session); // waiting, not yet a shim: it has not left our session

        // Ctrl-C reaches the whole process group, the spare included: the next container must not care.
        Process.GetProcessById(spare).Kill();
        _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {_prefix}-spare2 -Command true | Start-Container -Attach").ThrowOnError();
        Assert.NotEqual(spare, WaitForSpare(except: spare));

        var runtime = Path.Combine(PowerShellSession.RepoRoot, "module", "bin", "linux-x64", "containerps-runtime");
        using var alone = Process.Start(new ProcessStartInfo(runtime, "spare") { RedirectStandardInput = true })!;
        alone.StandardInput.Close();
        Assert.True(alone.WaitForExit(5000));
        Assert.Equal(0, alone.ExitCode);
    }

    /// <summary>This process's spare shim (a child running `containerps-runtime spare`), once the background start has made one.</summary>
    private static int WaitForSpare(int except)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != except && IsSpareOfOurs(pid))
                {
                    return pid;
                }
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException("No spare shim appeared.");
    }

    private static bool IsSpareOfOurs(int pid)
    {
        try
        {
            var argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return HostResidue.Stat(pid) is { } stat && stat.Parent == Environment.ProcessId && stat.Session != pid && argv.Length > 1 && argv[1] == "spare";
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _ps.Run($"Get-Container {_prefix}* | Remove-Container -Force").ThrowOnError();
        _ps.Dispose();
    }
}
