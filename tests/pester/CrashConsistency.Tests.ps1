# Pester 5: kill -9 of the PowerShell process between the steps of create, start, connect and remove (issue 11).
# A child pwsh runs the change with CONTAINERPS_CRASH_AT naming a point (Core's CrashPoint kills it there with
# SIGKILL); this session then lists the containers, runs one cleanup pass, and audits the host: no container record
# or name, cgroup, mount, link, lease or process may be left that the cleanup did not see.
BeforeAll {
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $module = [IO.Path]::Combine($repo, 'ContainerPS.psd1')
    Import-Module $module -Force
    $isRoot = (id -u) -eq '0'
    $tag = "cps-crash-$PID"
    $store = if ($env:CONTAINERPS_ROOT) { $env:CONTAINERPS_ROOT } else { '/run/containerps' }
    $tmp = [IO.Path]::GetTempPath()
    . ([IO.Path]::Combine($PSScriptRoot, 'ChildPwsh.ps1'))
    $pwsh = Get-ChildPwsh $repo
    if ($isRoot) {
        $rootfs = New-ContainerRootFs ([IO.Path]::Combine($tmp, "$tag-rootfs")) -Busybox
        $network = New-ContainerNetwork "$tag-net" -Subnet "10.$(Get-Random -Minimum 150 -Maximum 200).$(Get-Random -Maximum 250).0/24"
    }

    # What the child session does; the steps before the one under test run unarmed.
    $session = [IO.Path]::Combine($tmp, "$tag-session.ps1")
    Set-Content $session @'
param($Module, $RootFs, $Name, $Network, $Operation, $Point)
$ErrorActionPreference = 'Stop'
Import-Module $Module
function Arm { $env:CONTAINERPS_CRASH_AT = $Point }
switch ($Operation) {
    'create' { Arm; New-Container $RootFs -Name $Name -Network $Network -Command sleep, 4711 | Start-Container | Out-Null }
    'start' { $c = New-Container $RootFs -Name $Name -Network $Network -Command sleep, 4711; Arm; $c | Start-Container | Out-Null }
    'connect' { New-Container $RootFs -Name $Name -Command sleep, 4711 | Start-Container | Out-Null; Arm; Connect-ContainerNetwork $Name -Network $Network | Out-Null }
    'remove' { New-Container $RootFs -Name $Name -Network $Network -Command sleep, 4711 | Start-Container | Out-Null; Arm; Remove-Container $Name -Force }
    'network' { Arm; New-ContainerNetwork $Name -Subnet "10.$(Get-Random -Minimum 200 -Maximum 250).$(Get-Random -Maximum 250).0/24" | Out-Null }
}
exit 3 # the point was never reached
'@

    # What a change leaves on the host, compared before and after.
    . ([IO.Path]::Combine($PSScriptRoot, 'HostState.ps1'))
}

AfterAll {
    Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force -ErrorAction Continue
    if ($isRoot) { Remove-ContainerNetwork "$tag-net" -Force -ErrorAction Continue }
    Remove-Item ([IO.Path]::Combine($tmp, "$tag-*")) -Recurse -Force -ErrorAction Ignore
}

Describe 'A kill -9 of the session' {
    It 'at <Point> leaves what the next Get-Container sees and one Remove-Container clears' -ForEach @(
        @{ Operation = 'create'; Point = 'create:state-dir-made' }
        @{ Operation = 'create'; Point = 'create:name-reserved' }
        @{ Operation = 'create'; Point = 'create:leased' }
        @{ Operation = 'create'; Point = 'create:spec-written' }
        @{ Operation = 'create'; Point = 'create:shim-started' }
        @{ Operation = 'create'; Point = 'create:cgroup-made' }
        @{ Operation = 'create'; Point = 'create:process-made' }
        @{ Operation = 'create'; Point = 'create:wired' }
        @{ Operation = 'start'; Point = 'start:released' }
        @{ Operation = 'start'; Point = 'start:fifo-removed' }
        @{ Operation = 'connect'; Point = 'connect:leased' }
        @{ Operation = 'connect'; Point = 'connect:wired' }
        @{ Operation = 'remove'; Point = 'remove:killed' }
        @{ Operation = 'remove'; Point = 'remove:cgroup-removed' }
        @{ Operation = 'remove'; Point = 'remove:disconnected' }
        @{ Operation = 'remove'; Point = 'remove:name-released' }
    ) {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers and networks need root'; return }
        $before = Get-HostState -Store $store -Network "$tag-net" -Processes 'sleep 4711'
        $name = "$tag-$($Point -replace ':', '-')"
        & $pwsh -NoProfile -NonInteractive -File $session -Module $module -RootFs $rootfs.Path -Name $name -Network "$tag-net" -Operation $Operation -Point $Point
        $LASTEXITCODE | Should -Be 137 -Because "the session is killed at $Point (3: never reached, 1: failed before it)"

        # Listing shows what was left once, whatever state it was left in (a record without a name is listed by its
        # id, as Damaged), and fails on none; the cleanup pass removes what is new since before.
        $listed = @(Get-Container -ErrorVariable listing -ErrorAction SilentlyContinue | Where-Object Id -NotIn $before.Records)
        $listing | Should -BeNullOrEmpty
        $listed.Count | Should -BeLessOrEqual 1
        $listed | Remove-Container -Force -ErrorAction Stop

        Assert-NothingNew $before (Get-HostState -Store $store -Network "$tag-net" -Processes 'sleep 4711') "a kill at $Point"
    }

    It 'while New-ContainerNetwork makes the network leaves one that is listed and removed, and its name free again' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'networks need root'; return }
        $name = "$tag-nn"
        $links = @(ip -o link show | ForEach-Object { ($_ -split ': ')[1] })
        & $pwsh -NoProfile -NonInteractive -File $session -Module $module -RootFs $rootfs.Path -Name $name -Network '' -Operation network -Point 'network-create:recorded'
        $LASTEXITCODE | Should -Be 137
        try {
            $left = Get-ContainerNetwork $name -ErrorAction Stop
            Remove-ContainerNetwork $name -ErrorAction Stop
            Test-Path ([IO.Path]::Combine($store, 'networks', $name)) | Should -BeFalse
            @(ip -o link show | ForEach-Object { ($_ -split ': ')[1] } | Where-Object { $_ -notin $links }) | Should -BeNullOrEmpty
            New-ContainerNetwork $name -Subnet $left.Subnet -ErrorAction Stop | Out-Null
        }
        finally {
            Remove-ContainerNetwork $name -Force -ErrorAction Ignore
        }
    }

    It 'while connecting leaves a half-made attachment that the next Connect-ContainerNetwork replaces' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers and networks need root'; return }
        $name = "$tag-reconnect"
        & $pwsh -NoProfile -NonInteractive -File $session -Module $module -RootFs $rootfs.Path -Name $name -Network "$tag-net" -Operation connect -Point 'connect:leased'
        $LASTEXITCODE | Should -Be 137
        try {
            $attached = Connect-ContainerNetwork $name -Network "$tag-net" -ErrorAction Stop
            $attached.Interface | Should -Be 'eth0'
            # Wired now: an address on eth0 inside, and the gateway reachable over it.
            Invoke-ContainerCommand $name -Command ip, -o, -4, addr, show, eth0 | Should -BeLike "*$($attached.IPAddress)/*"
            Invoke-ContainerCommand $name -Command ping, -c, 1, -W, 2, $attached.Gateway | Out-Null
            $LASTEXITCODE | Should -Be 0
            @((Get-ContainerNetwork "$tag-net").Attachments | Where-Object ContainerName -EQ $name).Count | Should -Be 1
        }
        finally {
            Remove-Container $name -Force -ErrorAction Continue
        }
    }
}
