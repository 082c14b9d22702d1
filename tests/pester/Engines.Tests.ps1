# Pester 5: the OCI runtime under test driven by the real engines: containerd 1.6 through ctr (its runc v2 shim calls
# the runtime with runc's command line) and podman 4.3 (through conmon). The runtime is $env:CPS_ENGINE_RUNTIME when
# set (/usr/sbin/runc validates the tests themselves), else the module's containerps-runtime. Each engine runs in a
# private directory (EngineHarness.ps1), every call is bounded by a timeout, and what each test checks is what the
# engine reports (output through its pipes or a pty, exit codes, task states) and what the host shows (the process,
# its cgroup's freezer, the runtime's state directory).
BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'EngineHarness.ps1'))
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $runtime = if ($env:CPS_ENGINE_RUNTIME) { [IO.Path]::GetFullPath($env:CPS_ENGINE_RUNTIME) } else { [IO.Path]::Combine($repo, 'module', 'bin', 'linux-x64', 'containerps-runtime') }
    $missing = @('containerd', 'ctr', 'podman', 'conmon', 'umoci', 'skopeo', 'script', 'setsid') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
    $why = if ((id -u) -ne '0') { 'containerd, podman and an OCI runtime need root' }
    elseif ($missing) { "not installed: $($missing -join ', ') (.ci/run installs them)" }
    elseif (-not [IO.File]::Exists($runtime)) { "no runtime at $runtime (./build.sh builds it; CPS_ENGINE_RUNTIME names another)" }
    $work = $null
    if (-not $why) {
        $work = [IO.Directory]::CreateTempSubdirectory('cps-engines-').FullName
        $imageDir = [IO.Path]::Combine($work, 'image')
        $archive = New-EngineImage $imageDir
        $rootfs = [IO.Path]::Combine($imageDir, 'bundle', 'rootfs')
    }
}

AfterAll {
    if ($work) { Remove-EngineDir $work }
}

Describe 'containerd 1.6 (ctr, runc v2 shim) with the runtime under test' {
    BeforeAll {
        $ctd = $null
        if (-not $why) { $ctd = Start-TestContainerd ([IO.Path]::Combine($work, 'containerd')) }
    }
    AfterAll { Stop-TestContainerd $ctd }
    BeforeEach { if ($why) { Set-ItResult -Skipped -Because $why } }

    It 'imports the skopeo docker-archive' {
        $r = Invoke-Ctr $ctd images import $archive

        $r.ExitCode | Should -Be 0 -Because $r.Text
        (Invoke-Ctr $ctd images ls -q).Out -split "`n" | Should -Contain $EngineImageRef
    }

    It 'runs echo hi with --rm: hi on ctr''s stdout, exit code 0, nothing left in --runc-root or the container list' {
        $r = Invoke-CtrRun $ctd $runtime cps-echo -Command echo, hi -Remove

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Out | Should -Be 'hi' -Because $r.Text
        Test-Path ([IO.Path]::Combine($ctd.RuncRoot, $ctd.Namespace, 'cps-echo')) | Should -BeFalse
        (Invoke-Ctr $ctd container ls -q).Out | Should -Not -Match 'cps-echo'
    }

    It 'gives the container''s exit code 3 to ctr' {
        $r = Invoke-CtrRun $ctd $runtime cps-exit3 -Command sh, -c, 'exit 3' -Remove

        $r.ExitCode | Should -Be 3 -Because $r.Text
    }

    It 'runs -t on a pty: tty inside names its terminal, the output comes back through it; without -t there is none' {
        $r = Invoke-CtrRun $ctd $runtime cps-tty -Command sh, -c, 'tty && echo tty-ok' -Remove -Tty

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Out | Should -Match '(?m)^/dev/(pts/\d+|console)$' -Because $r.Text
        $r.Out | Should -Match '(?m)^tty-ok$' -Because $r.Text
        $plain = Invoke-CtrRun $ctd $runtime cps-notty -Command sh, -c, 'tty || echo no-tty' -Remove
        $plain.Out | Should -Match '(?m)^no-tty$' -Because $plain.Text
    }

    Context 'a detached task (sleep 1000, which as PID 1 ignores SIGTERM)' {
        BeforeAll { $id = 'cps-sleep'; $seen = @{} } # what one test saw, for the next ones

        It 'starts with run -d and is RUNNING in task ls with its pid' {
            $r = Invoke-CtrRun $ctd $runtime $id -Command sleep, 1000 -Detach
            $r.ExitCode | Should -Be 0 -Because $r.Text

            $seen.Task = Get-CtrTask $ctd $id
            $seen.Task.Status | Should -Be 'RUNNING'
            (Get-Content "/proc/$($seen.Task.Pid)/cmdline" -Raw) -replace "`0", ' ' | Should -Be 'sleep 1000 '
            # The runtime's own view, with the root the shim gave it.
            $state = Invoke-Bounded $runtime @('--root', [IO.Path]::Combine($ctd.RuncRoot, $ctd.Namespace), 'state', $id) -TimeoutSeconds 10
            $state.ExitCode | Should -Be 0 -Because $state.Text
            ($state.Out | ConvertFrom-Json).status | Should -Be 'running'
            ($state.Out | ConvertFrom-Json).pid | Should -Be $seen.Task.Pid
        }

        It 'is listed by task ps with that pid' {
            $r = Invoke-Ctr $ctd task ps $id

            $r.ExitCode | Should -Be 0 -Because $r.Text
            $r.Out -split "`n" | Select-Object -Skip 1 | ForEach-Object { (-split $_)[0] } | Should -Contain "$($seen.Task.Pid)"
        }

        It 'runs task exec: its output reaches ctr, and so does its exit code' {
            $r = Invoke-Ctr $ctd task exec --fifo-dir $ctd.FifoDir --exec-id e1 $id echo hi-from-exec
            $r.ExitCode | Should -Be 0 -Because $r.Text
            $r.Out | Should -Be 'hi-from-exec'

            $r = Invoke-Ctr $ctd task exec --fifo-dir $ctd.FifoDir --exec-id e2 $id sh -c 'exit 5'
            $r.ExitCode | Should -Be 5 -Because $r.Text
        }

        It 'pauses (PAUSED, the cgroup ctr asked for FROZEN) and resumes (RUNNING, THAWED)' {
            $r = Invoke-Ctr $ctd task pause $id
            $r.ExitCode | Should -Be 0 -Because $r.Text
            (Get-CtrTask $ctd $id).Status | Should -Be 'PAUSED'
            $freezer = Get-FreezerState $seen.Task.Pid
            $freezer.Path | Should -Be "/$($ctd.Namespace)/$id"
            $freezer.State | Should -Be 'FROZEN'

            $r = Invoke-Ctr $ctd task resume $id
            $r.ExitCode | Should -Be 0 -Because $r.Text
            (Get-CtrTask $ctd $id).Status | Should -Be 'RUNNING'
            (Get-FreezerState $seen.Task.Pid).State | Should -Be 'THAWED'
        }

        It 'is the module''s container too: Get-Container -Root lists it Running, Get-CgroupStat and Suspend-Container reach its group' {
            if ($env:CPS_ENGINE_RUNTIME) { Set-ItResult -Skipped -Because 'the module reads the records of containerps-runtime, not of another runtime'; return }
            Import-Module ([IO.Path]::Combine($repo, 'ContainerPS.psd1')) -Force
            $root = [IO.Path]::Combine($ctd.RuncRoot, $ctd.Namespace)

            $c = Get-Container -Root $root $id
            $c.State | Should -Be 'Running'
            $c.Pid | Should -Be $seen.Task.Pid
            $c.CgroupPath | Should -Be "$($ctd.Namespace)/$id"
            $c.Bundle | Should -Match "/$id$"
            $c.Root | Should -Be $root
            ($c | Get-CgroupStat).PidsCurrent | Should -Be 1
            # Piped, the container brings its store: the module freezes the group ctr made (containerd's shim keeps its
            # own idea of the task's status, so ctr goes on saying RUNNING; the kernel and the runtime say otherwise).
            try {
                $c | Suspend-Container
                (Get-Container -Root $root $id).State | Should -Be 'Paused'
                (Get-FreezerState $seen.Task.Pid).State | Should -Be 'FROZEN'
                ((Invoke-Bounded $runtime @('--root', $root, 'state', $id) -TimeoutSeconds 10).Out | ConvertFrom-Json).status | Should -Be 'paused'
            }
            finally {
                Get-Container -Root $root $id | Resume-Container | Out-Null
            }
            (Get-FreezerState $seen.Task.Pid).State | Should -Be 'THAWED'
            # Not in the module's own store.
            Get-Container $id -ErrorAction Ignore | Should -BeNullOrEmpty
        }

        It 'is STOPPED by task kill -s SIGKILL, and its process is gone' {
            $r = Invoke-Ctr $ctd task kill -s SIGKILL $id
            $r.ExitCode | Should -Be 0 -Because $r.Text

            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (($status = (Get-CtrTask $ctd $id).Status) -ne 'STOPPED' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $status | Should -Be 'STOPPED'
            Test-Path "/proc/$($seen.Task.Pid)" | Should -BeFalse
        }

        It 'is deleted by task delete and container delete, leaving nothing in --runc-root and no cgroup' {
            $r = Invoke-Ctr $ctd task delete $id
            $r.ExitCode | Should -Be 0 -Because $r.Text
            $r = Invoke-Ctr $ctd container delete $id
            $r.ExitCode | Should -Be 0 -Because $r.Text

            Get-CtrTask $ctd $id | Should -BeNullOrEmpty
            Test-Path ([IO.Path]::Combine($ctd.RuncRoot, $ctd.Namespace, $id)) | Should -BeFalse
            @(Get-CgroupRoots | Where-Object { Test-Path ([IO.Path]::Combine($_, $ctd.Namespace, $id)) }) | Should -BeNullOrEmpty
        }
    }
}

Describe 'podman 4.3 (conmon) with the runtime under test' {
    BeforeAll {
        $pod = $null
        if (-not $why) { $pod = Initialize-TestPodman ([IO.Path]::Combine($work, 'podman')) -Runtime $runtime -RootFs $rootfs }
    }
    AfterAll { Remove-TestPodman $pod }
    BeforeEach { if ($why) { Set-ItResult -Skipped -Because $why } }

    It 'runs echo hi with --rm: hi on podman''s stdout, exit code 0, no container left' {
        $r = Invoke-Podman $pod run --rm echo hi

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Out | Should -Be 'hi' -Because $r.Text
        (Invoke-Podman $pod ps -aq).Out | Should -BeNullOrEmpty
    }

    It 'gives the container''s exit code 3 to podman' {
        $r = Invoke-Podman $pod run --rm sh -c 'exit 3'

        $r.ExitCode | Should -Be 3 -Because $r.Text
    }

    It 'runs -it on a pty: tty inside names its terminal, the output comes back through it' {
        $r = Invoke-Podman $pod run -it --rm sh -c 'tty && echo tty-ok'

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Out | Should -Match '(?m)^/dev/(pts/\d+|console)$' -Because $r.Text
        $r.Out | Should -Match '(?m)^tty-ok$' -Because $r.Text
    }

    Context 'a detached container cps-p1 (sleep 1000)' {
        BeforeAll { $name = 'cps-p1'; $seen = @{} }

        It 'starts with run -d: running, its process sleep 1000 in the cgroup parent given' {
            $r = Invoke-Podman $pod run -d --name $name sleep 1000
            $r.ExitCode | Should -Be 0 -Because $r.Text
            $seen.Id = $r.Out.Trim()

            $state = (Invoke-Podman $pod inspect --format '{{.State.Status}} {{.State.Pid}}' $name).Out -split ' '
            $state[0] | Should -Be 'running'
            $seen.Pid = [int]$state[1]
            (Get-Content "/proc/$($seen.Pid)/cmdline" -Raw) -replace "`0", ' ' | Should -Be 'sleep 1000 '
            (Get-FreezerState $seen.Pid).Path | Should -Be "$($pod.CgroupParent)/libpod-$($seen.Id)"
            # podman calls the runtime without --root, so `state` with its default root is what podman sees.
            $state = Invoke-Bounded $runtime @('state', $seen.Id) -TimeoutSeconds 10
            $state.ExitCode | Should -Be 0 -Because $state.Text
            ($state.Out | ConvertFrom-Json).status | Should -Be 'running'
            $seen.Known = $true
        }

        It 'runs podman exec: its output reaches podman, and so does its exit code' {
            $r = Invoke-Podman $pod exec $name echo hi-from-exec
            $r.ExitCode | Should -Be 0 -Because $r.Text
            $r.Out | Should -Be 'hi-from-exec'

            $r = Invoke-Podman $pod exec $name sh -c 'exit 4'
            $r.ExitCode | Should -Be 4 -Because $r.Text
        }

        It 'runs podman exec -t on a pty' {
            $r = Invoke-Podman $pod exec -t $name sh -c 'tty && echo exec-tty-ok'

            $r.ExitCode | Should -Be 0 -Because $r.Text
            $r.Out | Should -Match '(?m)^exec-tty-ok$' -Because $r.Text
        }

        It 'is stopped by podman stop -t 2 (SIGTERM ignored, then SIGKILL): exited, its process gone' {
            $r = Invoke-Podman $pod stop -t 2 $name
            $r.ExitCode | Should -Be 0 -Because $r.Text

            (Invoke-Podman $pod inspect --format '{{.State.Status}}' $name).Out | Should -Be 'exited'
            Test-Path "/proc/$($seen.Pid)" | Should -BeFalse
        }

        It 'is removed by podman rm: not listed, unknown to the runtime, its cgroup gone' {
            $seen.Known | Should -BeTrue -Because 'the runtime must have known the container for its removal to show anything'
            $r = Invoke-Podman $pod rm $name
            $r.ExitCode | Should -Be 0 -Because $r.Text

            (Invoke-Podman $pod ps -aq).Out | Should -BeNullOrEmpty
            $state = Invoke-Bounded $runtime @('state', $seen.Id) -TimeoutSeconds 10
            $state.ExitCode | Should -Not -Be 0 -Because $state.Text
            @(Get-CgroupRoots | Where-Object { Test-Path ([IO.Path]::Combine($_, $pod.CgroupParent.TrimStart('/'), "libpod-$($seen.Id)")) }) | Should -BeNullOrEmpty
        }
    }
}
