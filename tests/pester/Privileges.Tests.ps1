# Pester 5: the devices, capabilities and user a container's processes get, observed from inside and from the host.
BeforeAll {
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    Import-Module ([IO.Path]::Combine($repo, 'ContainerPS.psd1')) -Force
    $isRoot = (id -u) -eq '0'
    $prefix = "cps-priv-$PID"
    $tmp = [IO.Path]::GetTempPath()
    if ($isRoot) { $rootfs = New-ContainerRootFs ([IO.Path]::Combine($tmp, "$prefix-rootfs")) -Busybox }

    # Runs a shell script as a container's first process and returns what it printed.
    function Invoke-Once([string] $Script, [hashtable] $With = @{}) {
        New-Container $rootfs.Path -Name "$prefix-$(Get-Random)" @With -Command sh, -c, $Script | Start-Container -Attach -Remove
    }
}

AfterAll {
    Get-Container "$prefix*" -ErrorAction Ignore | Remove-Container -Force
    Remove-Item ([IO.Path]::Combine($tmp, "$prefix*")) -Recurse -Force -ErrorAction Ignore
}

Describe 'Devices in a default container' {
    It 'refuse mknod of the host disk, in /tmp and in /dev alike' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $seen = Invoke-Once 'for at in /tmp /dev; do mknod $at/sda b 8 0 2>/dev/null && echo "$at made" || echo "$at refused"; done'
        $seen | Should -Be '/tmp refused', '/dev refused'
    }

    It 'open the default nodes' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $seen = Invoke-Once 'head -c 4 /dev/zero | wc -c; head -c 4 /dev/urandom | wc -c; echo x > /dev/null && echo null ok; echo x > /dev/full || echo full full'
        $seen | Should -Be '4', '4', 'null ok', 'full full'
    }

    It 'are listed in the v1 devices group: no others' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $list = [IO.Path]::Combine('/sys/fs/cgroup/devices', 'containerps')
        if (-not (Test-Path /sys/fs/cgroup/devices/devices.list)) { Set-ItResult -Skipped -Because 'no v1 devices hierarchy here'; return }
        $container = New-Container $rootfs.Path -Name "$prefix-list" -Command true
        try {
            Get-Content ([IO.Path]::Combine($list, $container.Id, 'devices.list')) |
                Should -Be 'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm', 'c 5:0 rwm', 'c 5:2 rwm', 'c 136:* rwm'
        }
        finally {
            Remove-Container $container.Name -Force
        }
    }

    It 'live on file systems mounted nodev, but for /dev' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $seen = Invoke-Once 'for at in /tmp /dev/shm /proc /sys /dev; do grep " $at " /proc/self/mountinfo | grep -q nodev && echo "$at nodev" || echo "$at dev"; done'
        $seen | Should -Be '/tmp nodev', '/dev/shm nodev', '/proc nodev', '/sys nodev', '/dev dev'
    }
}

Describe 'New-Container -Device' {
    It 'makes the host node inside and allows only it, with only the access given' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        if (-not (Test-Path /dev/loop7)) { Set-ItResult -Skipped -Because 'this host has no /dev/loop7'; return }
        $probe = 'ls -l /dev/cps/disk | cut -c1
            (: < /dev/cps/disk) 2>/dev/null && echo read ok || echo read refused
            (: > /dev/cps/disk) 2>/dev/null && echo write ok || echo write refused
            mknod /dev/loop6 b 7 6 2>/dev/null && echo other made || echo other refused'
        Invoke-Once $probe @{ Device = '/dev/loop7:/dev/cps/disk:r' } | Should -Be 'b', 'read ok', 'write refused', 'other refused'
    }

    It 'refuses a path that is not a device, saying what is' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        { New-Container $rootfs.Path -Name "$prefix-bad" -Device /etc/passwd -Command true -ErrorAction Stop } |
            Should -Throw -ErrorId 'DeviceNotFound*' -ExpectedMessage '*not a device node*'
    }
}

Describe 'Capabilities' {
    It 'are docker''s default set, 00000000a80425fb, in the first process and an exec' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $running = New-Container $rootfs.Path -Name "$prefix-caps" -Command sh, -c, 'grep -E "^Cap(Eff|Prm|Bnd|Inh|Amb)" /proc/self/status; exec sleep 100' | Start-Container
        try {
            Invoke-ContainerCommand $running.Name -Command grep, -E, '^Cap(Eff|Prm|Bnd|Inh|Amb)', /proc/self/status |
                Should -Be "CapInh:`t0000000000000000", "CapPrm:`t00000000a80425fb", "CapEff:`t00000000a80425fb", "CapBnd:`t00000000a80425fb", "CapAmb:`t0000000000000000"
            $deadline = [DateTime]::UtcNow.AddSeconds(5)
            do { $logged = (Get-ContainerLog $running.Name).Text } until ($logged.Count -ge 5 -or [DateTime]::UtcNow -gt $deadline)
            $logged | Should -Be "CapInh:`t0000000000000000", "CapPrm:`t00000000a80425fb", "CapEff:`t00000000a80425fb", "CapBnd:`t00000000a80425fb", "CapAmb:`t0000000000000000"
        }
        finally {
            Remove-Container $running.Name -Force
        }
    }

    It 'are none at all with -CapabilityDrop ALL, in an exec too' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        Invoke-Once 'grep CapEff /proc/self/status' @{ CapabilityDrop = 'ALL' } | Should -Be "CapEff:`t0000000000000000"
        $running = New-Container $rootfs.Path -Name "$prefix-nocaps" -CapabilityDrop ALL -Command sleep, 100 | Start-Container
        try {
            Invoke-ContainerCommand $running.Name -Command grep, CapEff, /proc/self/status | Should -Be "CapEff:`t0000000000000000"
        }
        finally {
            Remove-Container $running.Name -Force
        }
    }

    It 'let mount work with -CapabilityAdd SYS_ADMIN, and not without' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $probe = 'mkdir -p /tmp/m; mount -t tmpfs cps /tmp/m 2>/dev/null && echo mounted || echo refused'
        Invoke-Once $probe | Should -Be 'refused'
        Invoke-Once $probe @{ CapabilityAdd = 'sys_admin' } | Should -Be 'mounted'
    }

    It 'take names in any case, with or without CAP_, and drop from the default set' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        # the default less CHOWN (bit 0) and NET_RAW (bit 13), plus NET_ADMIN (bit 12)
        Invoke-Once 'grep CapEff /proc/self/status' @{ CapabilityDrop = 'cap_chown', 'Net_Raw'; CapabilityAdd = 'CAP_NET_ADMIN' } |
            Should -Be "CapEff:`t00000000a80415fa"
    }

    It 'refuses an unknown name, listing the valid ones' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        { New-Container $rootfs.Path -Name "$prefix-badcap" -CapabilityDrop SYS_BOGUS -Command true -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownCapability*' -ExpectedMessage "*'SYS_BOGUS' is not a capability*SYS_ADMIN*"
    }

    It 'complete on Tab, as docker spells them and with CAP_' {
        (TabExpansion2 'New-Container /tmp -CapabilityAdd SYS_AD').CompletionMatches.CompletionText | Should -Be 'SYS_ADMIN'
        (TabExpansion2 'New-Container /tmp -CapabilityDrop cap_net_b').CompletionMatches.CompletionText | Should -Be 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST'
    }
}

Describe 'New-Container -User' {
    BeforeAll {
        if ($isRoot) {
            # A user and groups the rootfs names, so names are looked up there and not on the host.
            Add-Content ([IO.Path]::Combine($rootfs.Path, 'etc', 'passwd')) 'cps-app:x:4321:4322:app:/tmp:/bin/sh'
            Add-Content ([IO.Path]::Combine($rootfs.Path, 'etc', 'group')) 'cps-app:x:4322:', 'cps-extra:x:4323:cps-app', 'cps-other:x:4324:'
            $data = New-Item -ItemType Directory ([IO.Path]::Combine($tmp, "$prefix-data"))
        }
    }

    It 'runs the first process as the uid and gid given, with no capabilities' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        Invoke-Once 'id -u; id -g; grep -E "^Cap(Prm|Eff)" /proc/self/status' @{ User = '1000:1001' } |
            Should -Be '1000', '1001', "CapPrm:`t0000000000000000", "CapEff:`t0000000000000000"
    }

    It 'looks names up in the rootfs, with the user''s groups from its /etc/group and -Group' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        Invoke-Once 'id -u; id -g; id -G' @{ User = 'cps-app'; Group = 'cps-other' } | Should -Be '4321', '4322', '4322 4323 4324'
    }

    It 'makes files on a bind mount owned by that uid on the host' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        chmod 0777 $data.FullName
        Invoke-Once 'touch /data/by-app && echo made' @{ User = '4321:4322'; Mount = "$($data.FullName):/data" } | Should -Be 'made'
        stat -c '%u:%g' ([IO.Path]::Combine($data.FullName, 'by-app')) | Should -Be '4321:4322'
    }

    It 'is the user of an exec too, unless Invoke-ContainerCommand -User names another' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $running = New-Container $rootfs.Path -Name "$prefix-user" -User cps-app -Command sleep, 100 | Start-Container
        try {
            Invoke-ContainerCommand $running.Name -Command id, -u | Should -Be '4321'
            Invoke-ContainerCommand $running.Name -Command grep, CapEff, /proc/self/status | Should -Be "CapEff:`t0000000000000000"
            Invoke-ContainerCommand $running.Name -User 0 -Command sh, -c, 'id -u; grep CapEff /proc/self/status' | Should -Be '0', "CapEff:`t00000000a80425fb"
            Invoke-ContainerCommand $running.Name -User nobody -Command id, -u | Should -Be '65534'
        }
        finally {
            Remove-Container $running.Name -Force
        }
    }

    It 'refuses a name the rootfs does not list, saying where it looked' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        { New-Container $rootfs.Path -Name "$prefix-nouser" -User cps-nobody-here -Command true -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownUser*' -ExpectedMessage "*no user 'cps-nobody-here' in the container's /etc/passwd*"
    }
}
