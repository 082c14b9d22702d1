# Pester 5: a container whose shim was killed (kill -9) runs on as an orphan (issue 11). It is shown as such, and
# Stop-Container, Wait-Container and Remove-Container still end it, Stop-Container with its real exit recorded.
BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force
    $isRoot = (id -u) -eq '0'
    $tag = "cps-orphan-$PID"
    $tmp = [IO.Path]::GetTempPath()
    if ($isRoot) { $rootfs = New-ContainerRootFs ([IO.Path]::Combine($tmp, "$tag-rootfs")) -Busybox }

    # Starts a container and kills its shim, as an OOM killer or a careless `kill -9` would.
    function New-Orphan([string] $Name, [string] $Script) {
        $container = New-Container $rootfs.Path -Name "$tag-$Name" -Command sh, -c, $Script | Start-Container
        $shim = (Get-Content -Raw "/run/containerps/$($container.Id)/state.json" | ConvertFrom-Json).ShimPid
        Stop-Process -Id $shim -Force # SIGKILL
        while ((Test-Path "/proc/$shim/stat") -and (Get-Content "/proc/$shim/stat" -Raw -ErrorAction Ignore) -notmatch '\) Z ') { Start-Sleep -Milliseconds 20 }
        Get-Container -Id $container.Id
    }
}

AfterAll {
    Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force
    Remove-Item ([IO.Path]::Combine($tmp, "$tag-*")) -Recurse -Force -ErrorAction Ignore
}

Describe 'A container whose shim was killed' {
    BeforeEach { if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root' } }

    It 'is listed as Running and orphaned, and the table says so' {
        $orphan = New-Orphan listed 'while :; do sleep 0.1; done'
        $orphan.State | Should -Be Running
        $orphan.Orphaned | Should -BeTrue
        ($orphan | Format-Table | Out-String) | Should -BeLike '*Running (orphan)*'
        (Get-Container "$tag-listed").Orphaned | Should -BeTrue
    }

    It 'is stopped by Stop-Container with the exit code its command chose on SIGTERM' {
        New-Orphan trap 'trap "exit 7" TERM; while :; do sleep 0.1; done' | Out-Null
        $stopped = Stop-Container "$tag-trap" -PassThru
        $stopped.State | Should -Be Stopped
        $stopped.ExitCode | Should -Be 7
        $stopped.Orphaned | Should -BeFalse
        (Get-Container "$tag-trap").ExitCode | Should -Be 7
    }

    It 'is killed by Stop-Container after the grace period when it ignores SIGTERM, and the signal is recorded' {
        New-Orphan stubborn 'trap "" TERM; while :; do sleep 0.1; done' | Out-Null
        $stopped = Stop-Container "$tag-stubborn" -Timeout 1 -PassThru
        $stopped.ExitCode | Should -Be 137
        $stopped.ExitSignal | Should -Be 9
    }

    It 'is waited for by Wait-Container until its process ends' {
        $orphan = New-Orphan waited 'sleep 1; exit 3'
        $ended = Wait-Container -Id $orphan.Id -Timeout 10 -ErrorAction Stop
        $ended.Name | Should -Be "$tag-waited"
        $ended.ExitCode | Should -BeNullOrEmpty -Because 'nobody traced it: its exit code is lost, and not made up'
        (Get-Container -Id $orphan.Id).State | Should -Be Stopped
    }

    It 'is removed by Remove-Container -Force with its process and cgroup' {
        $orphan = New-Orphan removed 'while :; do sleep 0.1; done'
        Remove-Container -Id $orphan.Id -Force
        Get-Container -Id $orphan.Id -ErrorAction Ignore | Should -BeNullOrEmpty
        # Gone, or a zombie its new parent (the host's init) has not reaped yet: not running, either way.
        Get-Content "/proc/$($orphan.Pid)/status" -ErrorAction Ignore | Where-Object { $_ -match '^State:\s+[^Z]' } | Should -BeNullOrEmpty
        Test-Path "/sys/fs/cgroup/memory/containerps/$($orphan.Id)" | Should -BeFalse
    }
}
