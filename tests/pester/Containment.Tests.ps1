# Pester 5: what keeps a default container contained, tried the way an attacker would and observed from inside.
BeforeAll {
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    Import-Module ([IO.Path]::Combine($repo, 'ContainerPS.psd1')) -Force
    $isRoot = (id -u) -eq '0'
    $prefix = "cps-contain-$PID"
    $tmp = [IO.Path]::GetTempPath()
    if ($isRoot) { $rootfs = New-ContainerRootFs ([IO.Path]::Combine($tmp, "$prefix-rootfs")) -Busybox }
}

AfterAll {
    Get-Container "$prefix*" -ErrorAction Ignore | Remove-Container -Force
    Remove-Item ([IO.Path]::Combine($tmp, "$prefix*")) -Recurse -Force -ErrorAction Ignore
}

Describe 'Descriptors the session holds' {
    BeforeAll {
        # A session started by a shell that left a host directory open at 8 and the host's / at 9, without
        # close-on-exec: `exec 8</dir 9</; pwsh` (issue 17). It runs the probe in a container's first process and in
        # an exec, and prints what each saw. At 7 it has a file it hands on with -PreserveFd.
        $hostDir = New-Item -ItemType Directory ([IO.Path]::Combine($tmp, "$prefix-hostdir"))
        $handedOn = [IO.Path]::Combine($tmp, "$prefix-handed-on")
        Set-Content $handedOn 'handed on'
        $session = [IO.Path]::Combine($tmp, "$prefix-session.ps1")
        Set-Content $session @'
param($Module, $RootFs, $Name)
$ErrorActionPreference = 'Stop'
Import-Module $Module
# The shell lists its own descriptors with a plain command (a pipe or $(...) would add its own for a moment).
$probe = 'ls /proc/$$/fd; if (echo x > /proc/self/fd/8/file) 2>/dev/null; then echo write done; else echo write failed; fi'
function Report($Where, $Lines) {
    "$Where fds $(($Lines | Where-Object { $_ -match '^\d+$' }) -join ' ')"
    $Lines | Where-Object { $_ -like 'write *' -or $_ -like 'read *' } | ForEach-Object { "$Where $_" }
}
Report first (New-Container $RootFs -Name "$Name-first" -Command sh, -c, $probe | Start-Container -Attach -Remove)
$running = New-Container $RootFs -Name "$Name-exec" -Command sleep, 100 | Start-Container
try {
    Report exec (Invoke-ContainerCommand $running.Name -Command sh, -c, $probe)
}
finally {
    Remove-Container $running.Name -Force
}
$keep = 'ls /proc/$$/fd; read line <&7; echo "read $line"'
Report kept (New-Container $RootFs -Name "$Name-kept" -PreserveFd 7 -Command sh, -c, $keep | Start-Container -Attach -Remove)
$running = New-Container $RootFs -Name "$Name-keptexec" -Command sleep, 100 | Start-Container
try {
    Report kept-exec (Invoke-ContainerCommand $running.Name -PreserveFd 7, 9 -Command sh, -c, 'ls /proc/$$/fd; true')
}
finally {
    Remove-Container $running.Name -Force
}
'@
        . ([IO.Path]::Combine($PSScriptRoot, 'ChildPwsh.ps1'))
        $pwsh = Get-ChildPwsh $repo
        if ($isRoot) {
            $seen = bash -c 'exec 7<"$1" 8<"$2" 9</; shift 2; exec "$@"' _ $handedOn $hostDir.FullName `
                $pwsh -NoProfile -NonInteractive -File $session -Module ([IO.Path]::Combine($repo, 'ContainerPS.psd1')) -RootFs $rootfs.Path -Name "$prefix-fd"
        }
    }

    It 'reach neither the first process nor an exec: they hold 0, 1 and 2 only' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $seen | Should -Contain 'first fds 0 1 2'
        $seen | Should -Contain 'exec fds 0 1 2'
    }

    It 'give no way to write into the host directory' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $seen | Should -Contain 'first write failed'
        $seen | Should -Contain 'exec write failed'
        Get-ChildItem $hostDir.FullName | Should -BeNullOrEmpty
    }

    It 'reach a first process or an exec when -PreserveFd names them, at the same numbers, and only those' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $seen | Should -Contain 'kept fds 0 1 2 7'
        $seen | Should -Contain 'kept read handed on'
        $seen | Should -Contain 'kept-exec fds 0 1 2 7 9'
    }

    It 'are refused by -PreserveFd when stdio or not open, and nothing is left behind' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        { New-Container $rootfs -Name "$prefix-fd2" -PreserveFd 2 -Command true -ErrorAction Stop } |
            Should -Throw -ErrorId 'PreservedDescriptorIsStdio*'
        { New-Container $rootfs -Name "$prefix-fd999" -PreserveFd 999 -Command true -ErrorAction Stop } |
            Should -Throw '*has no descriptor 999 open*'
        Get-Container "$prefix-fd*" -ErrorAction Ignore | Should -BeNullOrEmpty
    }
}

Describe 'The working directory of a command run in a container' {
    BeforeAll {
        if ($isRoot) {
            # Links in the rootfs that lead up and out, as an image could ship them; and a marker of the rootfs's top.
            New-Item -ItemType SymbolicLink ([IO.Path]::Combine($rootfs.Path, 'top')) -Target / | Out-Null
            New-Item -ItemType SymbolicLink ([IO.Path]::Combine($rootfs.Path, 'up')) -Target ../../.. | Out-Null
            New-Item -ItemType SymbolicLink ([IO.Path]::Combine($rootfs.Path, 'init-cwd')) -Target /proc/1/cwd | Out-Null
            New-Item -ItemType File ([IO.Path]::Combine($rootfs.Path, "$prefix-marker")) | Out-Null
            $web = New-Container $rootfs.Path -Name "$prefix-cwd" -Command sleep, 100 | Start-Container
        }
    }

    AfterAll {
        if ($web) { Remove-Container $web.Name -Force }
    }

    It 'is refused through /proc/self/fd/N, for every N from 0 to 12' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        foreach ($n in 0..12) {
            { Invoke-ContainerCommand $web.Name -WorkingDirectory "/proc/self/fd/$n" -Command pwd -ErrorAction Stop } |
                Should -Throw -ErrorId 'WorkingDirectoryInProcessDirectory*' -Because "fd $n may lead outside the root"
        }
        { Invoke-ContainerCommand $web.Name -WorkingDirectory /tmp/../proc/1/cwd -Command pwd -ErrorAction Stop } |
            Should -Throw -ErrorId 'WorkingDirectoryInProcessDirectory*'
    }

    It 'is refused when relative, as New-Container refuses it' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        { Invoke-ContainerCommand $web.Name -WorkingDirectory tmp -Command pwd -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidWorkingDirectory*'
    }

    It 'is refused when a symlink in the rootfs leads to a magic link' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        { Invoke-ContainerCommand $web.Name -WorkingDirectory /init-cwd -Command pwd -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*ELOOP*'
    }

    It 'stays inside the root when a symlink in the rootfs points to / or ../../..' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        foreach ($link in '/top', '/up') {
            $seen = Invoke-ContainerCommand $web.Name -WorkingDirectory $link -Command sh, -c, 'pwd -P; ls'
            $seen[0] | Should -Be '/'
            $seen | Should -Contain "$prefix-marker"
        }
    }
}

Describe 'Privileges a program could gain by execve' {
    It 'are refused by no_new_privs in the first process and in an exec, -Privileged or not' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        foreach ($privileged in $false, $true) {
            $name = "$prefix-nnp-$privileged"
            $first = New-Container $rootfs.Path -Name $name -Privileged:$privileged -Command sh, -c, 'grep NoNewPrivs /proc/self/status; exec sleep 100' |
                Start-Container
            try {
                Invoke-ContainerCommand $first.Name -Command grep, NoNewPrivs, /proc/self/status | Should -Match '^NoNewPrivs:\s+1$'
                $deadline = [DateTime]::UtcNow.AddSeconds(5) # the shim logs what the first process wrote as it comes
                do { $logged = Get-ContainerLog $first.Name | Where-Object Text -Match NoNewPrivs } until ($logged -or [DateTime]::UtcNow -gt $deadline)
                $logged.Text | Should -Match '^NoNewPrivs:\s+1$'
            }
            finally {
                Remove-Container $first.Name -Force
            }
        }
    }
}

Describe 'The host binary behind a process that is not yet the container''s program' {
    # runc's CVE-2019-5736: a container process opened /proc/PID/exe of runc while runc set up an exec in its pid
    # namespace, and wrote the host's runc binary through it. Here the processes in that state are a Created
    # container's first process (the shim's copy, waiting on its exec fifo) and an exec's child before execve. Both
    # keep the full permitted capability set until execve, so a process of a default container, whose set is smaller,
    # fails the kernel's ptrace access check on them (-Privileged keeps CAP_SYS_PTRACE, and so passes it, by design).
    It 'is out of reach of a default container that shares its pid namespace' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $watcher = New-Container $rootfs.Path -Name "$prefix-watcher" -Command sleep, 100 | Start-Container
        $waiting = New-Container $rootfs.Path -Name "$prefix-waiting" -Command true `
            -Namespace Mnt, Uts, Ipc, Net, (Get-Namespace -Container $watcher.Name -Kind Pid)
        $waiting.State | Should -Be 'Created'
        # Every process the watcher sees that is not its own: what its exe link shows, and whether it opens.
        $probe = 'for p in /proc/[0-9]*; do [ "$(readlink $p/exe)" = /bin/busybox ] && continue; ' +
            'echo "$p link=$(readlink $p/exe 2>/dev/null)"; cat $p/exe >/dev/null 2>&1 && echo "$p read"; (: >> $p/exe) 2>/dev/null && echo "$p write"; done'
        $seen = Invoke-ContainerCommand $watcher.Name -Command sh, -c, $probe
        $seen | Should -Not -BeNullOrEmpty -Because 'the waiting process is in the watcher''s pid namespace'
        $seen | Should -Not -Match ' (read|write)$'
        $seen | Should -Not -Match 'link=/.+'
    }
}

Describe 'A command run in a container with a time namespace of its own' {
    It 'joins it, with the container''s pid namespace (a time namespace takes a single-threaded joiner, so the exec forks inside)' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $timed = New-Container $rootfs.Path -Name "$prefix-time" -Namespace Pid, Mnt, Uts, Ipc, Net, Time -Command sleep, 100 | Start-Container
        try {
            $inside = Invoke-ContainerCommand $timed.Name -Command sh, -c, 'readlink /proc/self/ns/time; readlink /proc/self/ns/pid; echo $$'
            $LASTEXITCODE | Should -Be 0
            $inside[0] | Should -Be (readlink "/proc/$($timed.Pid)/ns/time")
            $inside[1] | Should -Be (readlink "/proc/$($timed.Pid)/ns/pid")
            [int]$inside[2] | Should -BeGreaterThan 1
        }
        finally {
            Remove-Container $timed.Name -Force
        }
    }
}
