# Pester 5: -UidMap/-GidMap (issue 18, first step): root inside a container is an unprivileged host id, its rootfs is
# id-mapped rather than chowned, and what it makes on a bind mount is owned by that host id. Observed from inside and
# from the host.
BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force
    $isRoot = (id -u) -eq '0'
    $tag = "cps-userns-$PID"
    $tmp = [IO.Path]::GetTempPath()
    if ($isRoot) {
        $rootfs = New-ContainerRootFs ([IO.Path]::Combine($tmp, "$tag-rootfs")) -Busybox
        $shared = New-Item -ItemType Directory ([IO.Path]::Combine($tmp, "$tag-shared"))
        chmod 0777 $shared.FullName
        Set-Content ([IO.Path]::Combine($shared.FullName, 'roots-file')) 'host root owns this'
        chmod 0644 ([IO.Path]::Combine($shared.FullName, 'roots-file'))
    }
    # The host's view of a process: its real uid and gid as /proc/PID/status gives them.
    function Get-HostIds([int] $ProcessId) {
        $status = Get-Content "/proc/$ProcessId/status"
        (($status | Where-Object { $_ -like 'Uid:*' }) -split '\s+')[1], (($status | Where-Object { $_ -like 'Gid:*' }) -split '\s+')[1]
    }
}

AfterAll {
    Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force
    Remove-Item ([IO.Path]::Combine($tmp, "$tag-*")) -Recurse -Force -ErrorAction Ignore
}

Describe 'A container with -UidMap 0:200000:65536' {
    BeforeAll {
        if ($isRoot) {
            $mapped = New-Container $rootfs.Path -Name "$tag-a" -UidMap 0:200000:65536 -Mount "$($shared.FullName):/shared" -Command sleep, 600 | Start-Container
        }
    }

    It 'is root inside, with the map Get-Container shows' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        Invoke-ContainerCommand $mapped.Name -Command id, -u | Should -Be '0'
        (Get-Container $mapped.Name).UidMap | Should -Be '0:200000:65536'
        (Get-Container $mapped.Name).GidMap | Should -Be '0:200000:65536'
    }

    It 'is host uid 200000 from outside, for its first process and for an exec' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        Get-HostIds $mapped.Pid | Should -Be '200000', '200000'
        Invoke-ContainerCommand $mapped.Name -Detach -Command sleep, 31 | Out-Null
        # Found from the host as the sleep 31 in the container's cgroup.
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        do {
            $execPid = pgrep -f '^sleep 31$' | Where-Object { (Get-Content "/proc/$_/cgroup" -Raw -ErrorAction Ignore) -match $mapped.Id } | Select-Object -First 1
        } until ($execPid -or [DateTime]::UtcNow -gt $deadline)
        Get-HostIds $execPid | Should -Be '200000', '200000'
    }

    It 'makes files on a bind mount that the host sees owned by 200000' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        Invoke-ContainerCommand $mapped.Name -Command touch, /shared/made-inside | Out-Null
        stat -c '%u:%g' ([IO.Path]::Combine($shared.FullName, 'made-inside')) | Should -Be '200000:200000'
    }

    It 'cannot write a host root file bind-mounted in, though it is root inside' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        Invoke-ContainerCommand $mapped.Name -Command sh, -c, 'echo x >> /shared/roots-file && echo wrote || echo refused' | Should -Be 'refused'
        Get-Content ([IO.Path]::Combine($shared.FullName, 'roots-file')) | Should -Be 'host root owns this'
    }

    It 'sees its rootfs owned by root through the id-mapped mount, which stays root''s on disk' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        Invoke-ContainerCommand $mapped.Name -Command stat, -c, '%u', /bin/busybox | Should -Be '0'
        Invoke-ContainerCommand $mapped.Name -Command touch, /made-in-root | Out-Null
        stat -c '%u' ([IO.Path]::Combine($rootfs.Path, 'bin', 'busybox')) | Should -Be '0'
        stat -c '%u' ([IO.Path]::Combine($rootfs.Path, 'made-in-root')) | Should -Be '0'
    }

    It 'and a second container with another range do not share host ids' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $other = New-Container $rootfs.Path -Name "$tag-b" -UidMap 0:300000:65536 -Command sleep, 600 | Start-Container
        Get-HostIds $other.Pid | Should -Be '300000', '300000'
        Remove-Container $other.Name -Force
    }
}

Describe 'A container with -UidMap on a container network' {
    It 'has its address, a gateway it reaches, and an /etc/hosts that is root''s to write' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers and networks need root'; return }
        $subnet = "10.$(Get-Random -Minimum 150 -Maximum 200).$(Get-Random -Maximum 250)"
        $network = New-ContainerNetwork "$tag-net" -Subnet "$subnet.0/24"
        try {
            $seen = New-Container $rootfs.Path -Name "$tag-net1" -UidMap 0:210000:65536 -Network $network.Name -Command sh, -c,
                'grep -c net1 /etc/hosts; stat -c %u /etc/hosts; echo >> /etc/hosts && echo writable; ping -c 1 -W 2 $0 > /dev/null && echo reached', "$subnet.1" |
                Start-Container -Attach -Remove
            $seen | Should -Be '1', '0', 'writable', 'reached'
        }
        finally {
            Remove-ContainerNetwork $network.Name -Force
        }
    }
}

Describe '-UserNamespace' {
    BeforeAll {
        # The subordinate id files as they were, put back after; the test gives containerps three blocks.
        $saved = foreach ($file in '/etc/subuid', '/etc/subgid') { [pscustomobject]@{ File = $file; Text = if (Test-Path $file) { Get-Content -Raw $file } } }
        $givenBefore = @(Get-Content /etc/subuid -ErrorAction Ignore | Where-Object { $_ -like 'containerps:*' }).Count -gt 0
    }
    AfterAll {
        foreach ($entry in $saved) {
            if ($null -eq $entry.Text) { Remove-Item $entry.File -ErrorAction Ignore } else { Set-Content $entry.File $entry.Text -NoNewline }
        }
    }

    It 'without ids for containerps in /etc/subuid says what to add, and makes nothing' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        if ($givenBefore) { Set-ItResult -Skipped -Because 'this host gives containerps ids already'; return }
        { New-Container $rootfs.Path -Name "$tag-none" -UserNamespace -Command true -ErrorAction Stop } |
            Should -Throw -ErrorId 'UserNamespaceRangesExhausted*' -ExpectedMessage "*containerps:100000:6553600*"
        Get-Container "$tag-none" -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'gives each container its own block, frees it with the container, and says when none is left' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        if ($givenBefore) { Set-ItResult -Skipped -Because 'this host gives containerps ids already'; return }
        foreach ($file in '/etc/subuid', '/etc/subgid') { Add-Content $file 'containerps:500000:196608' }
        $first = New-Container $rootfs.Path -Name "$tag-auto1" -UserNamespace -Command sleep, 600 | Start-Container
        $second = New-Container $rootfs.Path -Name "$tag-auto2" -UserNamespace -Command sleep, 600 | Start-Container
        $first.UidMap | Should -Be '0:500000:65536'
        $second.UidMap | Should -Be '0:565536:65536'
        Get-HostIds $second.Pid | Should -Be '565536', '565536'
        Invoke-ContainerCommand $second.Name -Command id, -u | Should -Be '0'

        $third = New-Container $rootfs.Path -Name "$tag-auto3" -UserNamespace -Command true
        { New-Container $rootfs.Path -Name "$tag-auto4" -UserNamespace -Command true -ErrorAction Stop } | Should -Throw -ErrorId 'UserNamespaceRangesExhausted*'
        Get-Container "$tag-auto4" -ErrorAction Ignore | Should -BeNullOrEmpty

        Remove-Container $first.Name -Force
        (New-Container $rootfs.Path -Name "$tag-auto5" -UserNamespace -Command true).UidMap | Should -Be '0:500000:65536'
        Remove-Container $second.Name, $third.Name, "$tag-auto5" -Force
    }

    It 'is the default of a session that sets $ContainerPSUserNamespace, and -UserNamespace:$false or -UidMap overrides it' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        if ($givenBefore) { Set-ItResult -Skipped -Because 'this host gives containerps ids already'; return }
        $ContainerPSUserNamespace = $true
        try {
            (New-Container $rootfs.Path -Name "$tag-pref1" -Command true).UidMap | Should -Be '0:500000:65536'
            (New-Container $rootfs.Path -Name "$tag-pref2" -UserNamespace:$false -Command true).UidMap | Should -BeNullOrEmpty
            (New-Container $rootfs.Path -Name "$tag-pref3" -UidMap 0:220000:65536 -Command true).UidMap | Should -Be '0:220000:65536'
        }
        finally {
            Remove-Variable ContainerPSUserNamespace
            Get-Container "$tag-pref*" | Remove-Container -Force
        }
    }

    It 'with -UidMap as well is refused' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        { New-Container $rootfs.Path -Name "$tag-both" -UserNamespace -UidMap 0:100000:65536 -Command true -ErrorAction Stop } | Should -Throw -ErrorId 'UserNamespaceConflict*'
    }
}

Describe '-UidMap refused' {
    It '<Case> is <ErrorId>, and nothing is left behind' -ForEach @(
        @{ Case = 'a line that is not CONTAINER:HOST:COUNT'; UidMap = '0:100000'; ErrorId = 'InvalidIdMapping' }
        @{ Case = 'a count of 0'; UidMap = '0:100000:0'; ErrorId = 'InvalidIdMapping' }
        @{ Case = 'a map without root'; UidMap = '1:100000:10'; ErrorId = 'IdMappingLacksRoot' }
        @{ Case = 'overlapping lines'; UidMap = '0:100000:10', '5:200000:10'; ErrorId = 'InvalidIdMapping' }
    ) {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        { New-Container $rootfs.Path -Name "$tag-bad" -UidMap $UidMap -Command true -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId*"
        Get-Container "$tag-bad" -ErrorAction Ignore | Should -BeNullOrEmpty
    }
}
