# Pester 5: the seccomp filter a container runs under, observed from inside with busybox and a static probe that
# makes raw system calls (tests/probes/syscall-probe.c) and prints the errno of each.
BeforeAll {
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    Import-Module ([IO.Path]::Combine($repo, 'ContainerPS.psd1')) -Force
    $isRoot = (id -u) -eq '0'
    $header = '/usr/include/x86_64-linux-gnu/asm/unistd_64.h'
    $canProbe = $isRoot -and (Get-Command gcc -ErrorAction Ignore) -and (Test-Path $header)
    $prefix = "cps-seccomp-$PID"
    $tmp = [IO.Path]::GetTempPath()
    if ($isRoot) { $rootfs = New-ContainerRootFs ([IO.Path]::Combine($tmp, "$prefix-rootfs")) -Busybox }
    if ($canProbe) {
        gcc -static -O1 -o ([IO.Path]::Combine($rootfs.Path, 'probe')) ([IO.Path]::Combine($repo, 'tests', 'probes', 'syscall-probe.c'))
        $numbers = @{}
        foreach ($m in [regex]::Matches((Get-Content $header -Raw), '#define __NR_(\w+) (\d+)')) { $numbers[$m.Groups[1].Value] = $m.Groups[2].Value }
    }

    # Runs a command in a new container to its end and returns its output lines.
    function Invoke-InContainer([string[]] $Command, [hashtable] $With = @{}) {
        New-Container $rootfs -Name "$prefix-$([guid]::NewGuid().ToString('n').Substring(0, 8))" -Command $Command @With | Start-Container -Attach -Remove
    }

    # name -> errno of each call (NAME or NAME:ARG0) the probe made inside a new container.
    function Invoke-Probe([string[]] $Calls, [hashtable] $With = @{}) {
        $arguments = foreach ($call in $Calls) { $name, $arg = $call -split ':'; "${name}:$($numbers[$name])$(if ($arg) { ":$arg" })" }
        $result = @{}
        foreach ($line in Invoke-InContainer (@('/probe') + $arguments) $With) { $call, $errno = $line -split ' '; $result[$call] = [int]$errno }
        $result
    }
}

AfterAll {
    Get-Container "$prefix*" -ErrorAction Ignore | Remove-Container -Force
    Remove-Item ([IO.Path]::Combine($tmp, "$prefix*")) -Recurse -Force -ErrorAction Ignore
}

Describe 'A default container' {
    It 'runs under a seccomp filter with no_new_privs' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        Invoke-InContainer sh, -c, 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status' | Should -Be "NoNewPrivs:`t1", "Seccomp:`t2"
    }

    It 'cannot make a user namespace with unshare -U' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        Invoke-InContainer sh, -c, 'unshare -U true 2>&1; echo "exit $?"' | Should -Be 'unshare: unshare(0x10000000): Operation not permitted', 'exit 1'
    }

    It 'gets EPERM from keyctl, add_key, mount, perf_event_open, io_uring_setup, kexec_load, and ENOSYS from clone3' {
        if (-not $canProbe) { Set-ItResult -Skipped -Because "the probe needs root, gcc and $header"; return }
        $seen = Invoke-Probe keyctl, add_key, mount, perf_event_open, io_uring_setup, kexec_load, clone3
        foreach ($call in 'keyctl', 'add_key', 'mount', 'perf_event_open', 'io_uring_setup', 'kexec_load') { "$call $($seen[$call])" | Should -Be "$call 1" }
        $seen['clone3'] | Should -Be 38
    }

    It 'can make exactly the calls the profile allows, as the probe lists them' {
        if (-not $canProbe) { Set-ItResult -Skipped -Because "the probe needs root, gcc and $header"; return }
        # Calls safe to make with -1 arguments. The profile says which it allows: those named by a plain allow rule.
        $calls = 'getpid', 'read', 'close', 'dup', 'kill', 'mmap', 'openat', 'uname', 'prctl', 'chroot', 'getcwd', 'pipe2', 'statx',
            'keyctl', 'add_key', 'request_key', 'bpf', 'setns', 'unshare', 'userfaultfd', 'swapon', 'pivot_root', 'fsopen', 'open_tree', 'io_uring_enter', 'lookup_dcookie'
        $profile = [ContainerPS.Core.Security.Seccomp.SeccompProfileReader]::Default
        $plainAllowed = $profile.Syscalls | Where-Object { $_.Action -eq 'Allow' -and $_.Args.Count -eq 0 -and $_.Includes.Caps.Count -eq 0 } | ForEach-Object Names
        $allowed = $calls | Where-Object { $_ -in $plainAllowed -or $_ -eq 'chroot' } # chroot: gated on CAP_SYS_CHROOT, which the default set keeps
        $denied = $calls | Where-Object { $_ -notin $allowed }
        $allowed.Count | Should -BeGreaterThan 5
        $denied.Count | Should -BeGreaterThan 5

        $filtered = Invoke-Probe $calls
        $unconfined = Invoke-Probe $allowed @{ SeccompProfile = 'Unconfined' }
        foreach ($call in $allowed) { "$call $($filtered[$call])" | Should -Be "$call $($unconfined[$call])" -Because 'an allowed call gets the kernel''s own answer' }
        foreach ($call in $denied) { "$call $($filtered[$call])" | Should -Be "$call 1" -Because 'the profile answers EPERM' }
    }

    It 'lets personality set only the personas Docker allows' {
        if (-not $canProbe) { Set-ItResult -Skipped -Because "the probe needs root, gcc and $header"; return }
        $seen = Invoke-Probe 'personality:4294967295', 'personality:0', 'personality:4194304' # query, PER_LINUX, ADDR_NO_RANDOMIZE
        $seen['personality:4294967295'] | Should -Be 0
        $seen['personality:0'] | Should -Be 0
        $seen['personality:4194304'] | Should -Be 1
    }

    It 'runs ordinary busybox commands: sh, ls, ps, wget to loopback, ping with CAP_NET_RAW' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $script = 'mkdir /tmp/www && echo hello > /tmp/www/index.html && httpd -p 127.0.0.1:8080 -h /tmp/www && ' +
            'ls / >/dev/null && ps >/dev/null && wget -q -O - http://127.0.0.1:8080/ && ping -c 1 -W 2 127.0.0.1 >/dev/null && echo ping ok'
        Invoke-InContainer sh, -c, $script | Should -Be 'hello', 'ping ok'
    }
}

Describe 'An exec into a container' {
    It 'runs under the container''s filter' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $running = New-Container $rootfs -Name "$prefix-exec" -Command sleep, 100 | Start-Container
        try {
            Invoke-ContainerCommand "$prefix-exec" -Command sh, -c, 'grep ^Seccomp: /proc/self/status; unshare -U true 2>/dev/null || echo refused' |
                Should -Be "Seccomp:`t2", 'refused'
        }
        finally {
            Remove-Container "$prefix-exec" -Force
        }
    }

    It 'is refused, not run unconfined, when the container''s compiled filter is gone' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $running = New-Container $rootfs -Name "$prefix-nofilter" -Command sleep, 100 | Start-Container
        try {
            $program = [IO.Path]::Combine('/run/containerps', $running.Id, 'seccomp.bpf')
            Test-Path $program | Should -BeTrue -Because 'the filter is compiled once, at create'
            Remove-Item $program
            { Invoke-ContainerCommand $running.Name -Command true -ErrorAction Stop } | Should -Throw -ErrorId 'SeccompFilterDamaged*'
        }
        finally {
            Remove-Container $running.Name -Force
        }
    }
}

Describe '-SeccompProfile' {
    It 'Unconfined runs without a filter, and so does -Privileged' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        Invoke-InContainer sh, -c, 'grep ^Seccomp: /proc/self/status; unshare -U true && echo made' @{ SeccompProfile = 'Unconfined' } | Should -Be "Seccomp:`t0", 'made'
        Invoke-InContainer sh, -c, 'grep ^Seccomp: /proc/self/status' @{ Privileged = $true } | Should -Be "Seccomp:`t0"
    }

    It 'takes a profile file, skipping names x86-64 lacks, and its execs get the same' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $path = [IO.Path]::Combine($tmp, "$prefix-nomkdir.json")
        Set-Content $path '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir", "mkdirat", "no_such_call"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 } ] }'
        Invoke-InContainer sh, -c, 'mkdir /tmp/x 2>&1; echo "exit $?"' @{ SeccompProfile = $path } | Should -Be "mkdir: can't create directory '/tmp/x': Permission denied", 'exit 1'
        $null = New-Container $rootfs -Name "$prefix-custom" -SeccompProfile $path -Command sleep, 100 | Start-Container
        try {
            Set-Content $path '{ "defaultAction": "SCMP_ACT_ALLOW" }' # the container keeps the profile it was created with
            Invoke-ContainerCommand "$prefix-custom" -Command sh, -c, 'mkdir /tmp/y 2>/dev/null || echo refused' | Should -Be 'refused'
        }
        finally {
            Remove-Container "$prefix-custom" -Force
        }
    }

    It 'refuses <Case> at create and leaves nothing behind' -ForEach @(
        @{ Case = 'malformed JSON'; Json = '{ "defaultAction": '; Id = 'InvalidSeccompProfile'; Says = 'not valid JSON' }
        @{ Case = 'an unknown action'; Json = '{ "defaultAction": "SCMP_ACT_MAYBE" }'; Id = 'InvalidSeccompProfile'; Says = "defaultAction 'SCMP_ACT_MAYBE' is not a seccomp action" }
        @{ Case = 'a missing file'; Json = $null; Id = 'SeccompProfileNotFound'; Says = 'cannot be read' }
    ) {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $path = [IO.Path]::Combine($tmp, "$prefix-bad-$($Case -replace ' ', '-').json")
        if ($null -ne $Json) { Set-Content $path $Json }
        $before = @(Get-ChildItem /run/containerps -Directory -ErrorAction Ignore).Count
        $failure = $null
        New-Container $rootfs -Name "$prefix-bad" -SeccompProfile $path -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
        $failure[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $failure[0].Exception.Message | Should -BeLike "*$Says*"
        Get-Container "$prefix-bad" -ErrorAction Ignore | Should -BeNullOrEmpty
        @(Get-ChildItem /run/containerps -Directory -ErrorAction Ignore).Count | Should -BeLessOrEqual $before
    }

    It 'completes Unconfined' {
        (TabExpansion2 'New-Container /tmp -SeccompProfile Unc').CompletionMatches.CompletionText | Should -Contain 'Unconfined'
    }
}
