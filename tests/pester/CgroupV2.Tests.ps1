# Pester 5: cgroup v2 as a user of a v2-only host (Debian 12, Ubuntu 22.04, Fedora) sees it. Each case reads the v2
# file the driver wrote and the effect the kernel had. `.ci/run` runs this file inside a v2-only QEMU guest
# (build/Invoke-CgroupV2Guest.ps1); on a host whose controllers are bound to v1, a case that needs a v2 controller
# skips and says which one is not on cgroup2 here.
BeforeAll {
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    Import-Module ([IO.Path]::Combine($repo, 'ContainerPS.psd1')) -Force
    $isRoot = (id -u) -eq '0'
    $prefix = "cps-cg2-$PID"
    $tmp = [IO.Path]::GetTempPath()

    # The cgroup2 mount and the controllers bound to it, read from the host's own layout.
    $cg2 = Get-Content /proc/self/mountinfo | Where-Object { $_ -match ' - cgroup2 ' } |
        ForEach-Object { ($_ -split ' ')[4] } | Select-Object -First 1
    $v2Controllers = if ($cg2) { -split (Get-Content -Raw ([IO.Path]::Combine($cg2, 'cgroup.controllers'))) } else { @() }
    if ($isRoot -and $cg2) { $rootfs = New-ContainerRootFs ([IO.Path]::Combine($tmp, "$prefix-rootfs")) -Busybox }

    # Why a case cannot run on this host, or nothing when it can.
    function Get-Gap([string[]] $Controller = @()) {
        if (-not $isRoot) { return 'cgroups and containers need root' }
        if (-not $cg2) { return 'no cgroup2 tree is mounted on this host' }
        $missing = @($Controller | Where-Object { $_ -notin $v2Controllers })
        if ($missing) { return "the $($missing -join ', ') controller is not on the cgroup2 tree here ($cg2 holds: $($v2Controllers -join ' ')); this host binds it to cgroup v1" }
    }

    # The text of a file in a group's cgroup2 directory (a container's group is containerps/<id>).
    function Get-V2File([string] $Group, [string] $File) {
        (Get-Content -Raw ([IO.Path]::Combine($cg2, 'containerps', $Group, $File))).TrimEnd("`n")
    }

    function New-Limited([string] $Suffix, [string] $Script, [hashtable] $With = @{}) {
        New-Container $rootfs.Path -Name "$prefix-$Suffix" @With -Command sh, -c, $Script
    }
}

AfterAll {
    Get-Container "$prefix*" -ErrorAction Ignore | Remove-Container -Force
    Get-Cgroup "$prefix*" -ErrorAction Ignore | Remove-Cgroup -Force
    Remove-Item ([IO.Path]::Combine($tmp, "$prefix*")) -Recurse -Force -ErrorAction Ignore
}

Describe 'Memory on cgroup v2' {
    It 'memory.max ends a hog with an OOM kill that Wait-Container and Get-CgroupStat report' {
        if ($why = Get-Gap memory) { Set-ItResult -Skipped -Because $why; return }
        # tail keeps the whole "line" it reads, and /dev/zero has no newline: it grows until the limit.
        $hog = New-Limited oom 'tail /dev/zero' @{ Memory = 24MB; MemorySwap = 24MB }
        Get-V2File $hog.Id memory.max | Should -Be ([string](24MB))
        Get-V2File $hog.Id memory.swap.max | Should -Be '0'
        $hog | Start-Container | Out-Null
        $exit = $hog | Wait-Container -Timeout 120
        $exit.OomKilled | Should -BeTrue
        $exit.ExitSignal | Should -Be 9
        $stat = $hog | Get-CgroupStat
        $stat.OomKills | Should -BeGreaterOrEqual 1
        $stat.MemoryPeak | Should -BeGreaterThan 16MB
        $stat.MemoryPeak | Should -BeLessOrEqual 24MB
        (Get-V2File $hog.Id memory.events) -match '^oom_kill [1-9]' | Should -Not -BeNullOrEmpty
    }

    It 'memory.swap.max holds the swap beyond memory, as docker''s --memory-swap means it' {
        if ($why = Get-Gap memory) { Set-ItResult -Skipped -Because $why; return }
        $box = New-Limited swap 'true' @{ Memory = 32MB; MemorySwap = 48MB }
        Get-V2File $box.Id memory.swap.max | Should -Be ([string](16MB))
        ($box | Get-CgroupLimit).MemorySwap.Bytes | Should -Be 48MB
        $box | Remove-Container -Force
    }
}

Describe 'CPU on cgroup v2' {
    It 'cpu.max throttles a busy loop to its share, counted in nr_throttled and usage' {
        if ($why = Get-Gap cpu) { Set-ItResult -Skipped -Because $why; return }
        $busy = New-Limited busy 'while :; do :; done' @{ CpuQuota = 0.2 }
        Get-V2File $busy.Id cpu.max | Should -Be '20000 100000'
        $busy | Start-Container | Out-Null
        $before = $busy | Get-CgroupStat
        Start-Sleep -Seconds 3
        $after = $busy | Get-CgroupStat
        $busy | Remove-Container -Force
        $share = ($after.CpuUsage - $before.CpuUsage).TotalSeconds / ($after.Timestamp - $before.Timestamp).TotalSeconds
        $after.ThrottledPeriods | Should -BeGreaterThan $before.ThrottledPeriods
        $share | Should -BeGreaterThan 0.05
        $share | Should -BeLessThan 0.3
    }

    It 'cpu.weight takes -CpuWeight as it is and -CpuShares converted' {
        if ($why = Get-Gap cpu) { Set-ItResult -Skipped -Because $why; return }
        $weighted = New-Limited weight 'true' @{ CpuWeight = 300 }
        Get-V2File $weighted.Id cpu.weight | Should -Be '300'
        ($weighted | Get-CgroupLimit).CpuWeight | Should -Be 300
        $shared = New-Limited shares 'true' @{ CpuShares = 2048 }
        # in proportion around the defaults, as systemd maps them: 1024 shares = weight 100
        Get-V2File $shared.Id cpu.weight | Should -Be '200'
        $weighted, $shared | Remove-Container -Force
    }

    It 'cpuset.cpus pins the container''s processes to the CPUs given' {
        if ($why = Get-Gap cpuset) { Set-ItResult -Skipped -Because $why; return }
        $last = [Environment]::ProcessorCount - 1
        $pinned = New-Limited cpuset 'grep Cpus_allowed_list /proc/self/status' @{ CpuSet = "$last" }
        Get-V2File $pinned.Id cpuset.cpus | Should -Be "$last"
        $pinned | Start-Container -Attach -Remove | Should -Match "Cpus_allowed_list:\s+$last$"
    }
}

Describe 'Pids on cgroup v2' {
    It 'pids.max stops a fork bomb at the limit' {
        if ($why = Get-Gap pids) { Set-ItResult -Skipped -Because $why; return }
        # Each round forks one more sleeper and says so; the shell gives up at the first fork the kernel refuses.
        $bomb = New-Limited bomb 'for i in $(seq 40); do sleep 60 & echo $i; done' @{ Pids = 12 }
        Get-V2File $bomb.Id pids.max | Should -Be '12'
        $forked = $bomb | Start-Container -Attach 6>$null
        $forked[-1] | Should -Be '11'   # the shell and 11 sleepers make 12
        (Get-V2File $bomb.Id pids.events) -match '^max [1-9]' | Should -Not -BeNullOrEmpty
        $bomb | Remove-Container -Force
    }
}

Describe 'IO on cgroup v2' {
    It 'io.max slows direct writes to the scratch disk to its wbps' {
        if ($why = Get-Gap io) { Set-ItResult -Skipped -Because $why; return }
        if (-not (Test-Path /dev/vda)) { Set-ItResult -Skipped -Because 'no scratch disk /dev/vda here (the guest has one when CG2VM_DISK is set)'; return }
        $writer = New-Limited io 'dd if=/dev/zero of=/dev/vda bs=64k count=48 oflag=direct 2>&1' @{
            IoMax = @{ Device = '/dev/vda'; WriteBps = 1MB }; Device = '/dev/vda:/dev/vda:rw' }
        $number = Get-Content /sys/class/block/vda/dev   # major:minor, as io.max names a device
        Get-V2File $writer.Id io.max | Should -Be "$number rbps=max wbps=1048576 riops=max wiops=max"
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $writer | Start-Container -Attach | Out-Null
        $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 2   # 3 MiB at 1 MiB/s, less the first burst
        ($writer | Get-CgroupStat).IoWriteBytes | Should -Be 3MB
        $writer | Remove-Container -Force
    }
}

Describe 'Freezing and killing on cgroup v2' {
    It 'Suspend-Container and Resume-Container freeze and thaw through cgroup.freeze' {
        if ($why = Get-Gap) { Set-ItResult -Skipped -Because $why; return }
        if (Test-Path /sys/fs/cgroup/freezer) { Set-ItResult -Skipped -Because 'this host has the v1 freezer, which Suspend-Container prefers'; return }
        $busy = New-Limited freeze 'while :; do :; done' | Start-Container
        $busy | Suspend-Container | Out-Null
        Get-V2File $busy.Id cgroup.freeze | Should -Be '1'
        Get-V2File $busy.Id cgroup.events | Should -Match 'frozen 1'
        (Get-Container $busy.Id).State | Should -Be 'Paused'
        $frozenAt = ($busy | Get-CgroupStat).CpuUsage
        Start-Sleep -Seconds 1
        ($busy | Get-CgroupStat).CpuUsage | Should -Be $frozenAt
        $busy | Resume-Container | Out-Null
        Get-V2File $busy.Id cgroup.freeze | Should -Be '0'
        Start-Sleep -Seconds 1
        ($busy | Get-CgroupStat).CpuUsage | Should -BeGreaterThan $frozenAt
        (Get-Container $busy.Id).State | Should -Be 'Running'
        $busy | Remove-Container -Force
    }

    It 'Remove-Container -Force ends every process of the group through cgroup.kill, frozen or not' {
        if ($why = Get-Gap) { Set-ItResult -Skipped -Because $why; return }
        # No pid namespace: the first process's death alone would not take its children with it.
        $tree = New-Limited kill 'sleep 600 & sleep 600 & setsid sleep 600 & wait' @{ Namespace = 'Mnt', 'Uts' } | Start-Container
        $deadline = (Get-Date).AddSeconds(30)
        while ((-split (Get-V2File $tree.Id cgroup.procs)).Count -lt 4) {
            if ((Get-Date) -gt $deadline) { throw 'the container did not start its four processes' }
            Start-Sleep -Milliseconds 100
        }
        $members = -split (Get-V2File $tree.Id cgroup.procs)
        $tree | Suspend-Container | Out-Null
        $tree | Remove-Container -Force
        $members | Where-Object { Test-Path "/proc/$_" } | Should -BeNullOrEmpty
        Test-Path ([IO.Path]::Combine($cg2, 'containerps', $tree.Id)) | Should -BeFalse
    }
}

Describe 'Limits of a running container on cgroup v2' {
    It 'Set-CgroupLimit rewrites memory.max and pids.max while it runs' {
        if ($why = Get-Gap memory, pids) { Set-ItResult -Skipped -Because $why; return }
        $running = New-Limited set 'sleep 600' @{ Memory = 64MB; Pids = 20 } | Start-Container
        $running | Set-CgroupLimit -Memory 48MB -Pids 30 | Out-Null
        Get-V2File $running.Id memory.max | Should -Be ([string](48MB))
        Get-V2File $running.Id pids.max | Should -Be '30'
        $limits = $running | Get-CgroupLimit
        $limits.Memory.Bytes | Should -Be 48MB
        $limits.Pids | Should -Be 30
        $running | Remove-Container -Force
    }
}

Describe 'New-Cgroup groups on cgroup v2' {
    It 'live under containerps/, which delegates controllers and holds no process itself' {
        if ($why = Get-Gap memory, pids) { Set-ItResult -Skipped -Because $why; return }
        New-Cgroup "$prefix-batch/low" -Memory 64MB -Pids 50 | Out-Null
        try {
            -split (Get-Content -Raw ([IO.Path]::Combine($cg2, 'containerps', 'cgroup.subtree_control'))) | Should -Contain 'memory'
            -split (Get-V2File "$prefix-batch" cgroup.subtree_control) | Should -Contain 'pids'
            Get-V2File "$prefix-batch/low" memory.max | Should -Be ([string](64MB))
            Get-V2File "$prefix-batch/low" pids.max | Should -Be '50'
            Add-CgroupProcess "$prefix-batch/low" -Command cat, /proc/self/cgroup | Should -Be "0::/containerps/$prefix-batch/low"
            Get-Content ([IO.Path]::Combine($cg2, 'containerps', 'cgroup.procs')) | Should -BeNullOrEmpty
        }
        finally {
            Remove-Cgroup "$prefix-batch/low", "$prefix-batch"
        }
        Test-Path ([IO.Path]::Combine($cg2, 'containerps', "$prefix-batch")) | Should -BeFalse
    }

    It 'refuse a child below a group that holds a process, naming the no-internal-process rule' {
        if ($why = Get-Gap memory) { Set-ItResult -Skipped -Because $why; return }
        New-Cgroup "$prefix-busy" -Memory 64MB | Out-Null
        $sleeper = Start-Process sleep 600 -PassThru
        try {
            Add-CgroupProcess "$prefix-busy" -ProcessId $sleeper.Id
            { New-Cgroup "$prefix-busy/child" -Memory 32MB -ErrorAction Stop } | Should -Throw -ExpectedMessage '*process*'
        }
        finally {
            $sleeper | Stop-Process -Force
            $sleeper.WaitForExit()
            Remove-Cgroup "$prefix-busy" -Force
        }
    }
}

Describe 'A container with limits, end to end on cgroup v2' {
    It 'is born in its group with its limits and device program, runs, and leaves nothing behind' {
        if ($why = Get-Gap memory, pids, cpu) { Set-ItResult -Skipped -Because $why; return }
        $box = New-Limited e2e 'cat /proc/self/cgroup; mknod /tmp/sda b 8 0 2>/dev/null && echo mknod made || echo mknod refused; head -c 3 /dev/zero | wc -c' @{
            Memory = 48MB; Pids = 30; CpuQuota = 0.5 }
        # Created: its first process is already in the group (CLONE_INTO_CGROUP), waiting to run.
        -split (Get-V2File $box.Id cgroup.procs) | Should -Contain ([string]$box.Pid)
        Get-V2File $box.Id memory.max | Should -Be ([string](48MB))
        Get-V2File $box.Id pids.max | Should -Be '30'
        Get-V2File $box.Id cpu.max | Should -Be '50000 100000'
        $box | Start-Container -Attach | Should -Be '0::/', 'mknod refused', '3'
        ($box | Wait-Container).ExitCode | Should -Be 0
        $box | Remove-Container
        Test-Path ([IO.Path]::Combine($cg2, 'containerps', $box.Id)) | Should -BeFalse
    }
}
