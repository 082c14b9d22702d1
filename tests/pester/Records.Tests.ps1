# Pester 5: every record of the store is read on its own. A damaged container or network record is one error about
# that record, the others are listed as usual, and a forced removal takes away what the kernel still shows of it.
# Each test damages a record of its own (a cps- name under the real store) and removes it, whatever happens.
BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force
    $isRoot = (id -u) -eq '0'
    # A create that fails must end the test there, before it writes into a record that is not there.
    $PSDefaultParameterValues['New-Container:ErrorAction'] = 'Stop'
    $tag = "cps-rec-$PID"
    $store = if ($env:CONTAINERPS_ROOT) { $env:CONTAINERPS_ROOT } else { '/run/containerps' }
    $rootfsPath = Join-Path ([IO.Path]::GetTempPath()) "$tag-rootfs"
    if ($isRoot) { $rootfs = New-ContainerRootFs $rootfsPath -Busybox }

    function New-Subnet { "10.$(Get-Random -Minimum 150 -Maximum 200).$(Get-Random -Maximum 250).0/24" }

    # What is left of a container on the host: its directory, its name, its cgroup in any hierarchy, its host links.
    function Get-Remains([string] $Id, [string] $Name) {
        @(
            (Join-Path $store $Id), (Join-Path $store "names/$Name"),
            @(Get-ChildItem /sys/fs/cgroup -Directory -Recurse -Depth 3 -Filter $Id -ErrorAction Ignore).FullName
        ) | Where-Object { $_ -and (Test-Path -LiteralPath $_) }
        ip -o link show | Select-String "cps-$($Id.Substring(0, 8))-" | ForEach-Object { "link $_" }
    }
}

AfterAll {
    Get-ChildItem (Join-Path $store 'names') -Filter "$tag-*" -ErrorAction Ignore | ForEach-Object {
        Remove-Container -Name $_.Name -Force -ErrorAction Continue
    }
    Get-ContainerNetwork "$tag-*" -ErrorAction Ignore | Remove-ContainerNetwork -Force -ErrorAction Continue
    Get-ChildItem (Join-Path $store 'networks') -Filter "$tag-*" -Directory -ErrorAction Ignore | ForEach-Object {
        Remove-ContainerNetwork $_.Name -Force -ErrorAction Continue
    }
    if (Test-Path $rootfsPath) { Remove-Item $rootfsPath -Recurse -Force }
}

Describe 'A damaged container record' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root' }
    }

    It 'is one ContainerRecordDamaged error naming it and its file, while the others are listed (<File> <Damage>)' -ForEach @(
        @{ File = 'state.json'; Damage = 'truncated' }
        @{ File = 'spec.json'; Damage = 'garbage' }
        @{ File = 'spec.json'; Damage = '{}' }
    ) {
        $healthy = New-Container $rootfs.Path -Name "$tag-healthy" -Command true
        $damaged = New-Container $rootfs.Path -Name "$tag-damaged" -Command sleep, 600
        try {
            $path = Join-Path $store "$($damaged.Id)/$File"
            switch ($Damage) {
                'truncated' { [IO.File]::WriteAllBytes($path, [byte[]]@()) }
                'garbage' { Set-Content $path 'not { json' }
                '{}' { Set-Content $path '{}' }
            }
            $errors = @()
            $listed = Get-Container -ErrorVariable errors -ErrorAction SilentlyContinue
            $listed.Id | Should -Contain $healthy.Id
            $listed.Id | Should -Not -Contain $damaged.Id
            $mine = @($errors | Where-Object TargetObject -EQ $damaged.Id)
            $mine | Should -HaveCount 1
            $mine[0].FullyQualifiedErrorId | Should -BeLike 'ContainerRecordDamaged,*'
            $mine[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $mine[0].Exception.Message | Should -BeLike "*$path*"
            $mine[0].Exception.File | Should -Be $path
        }
        finally {
            Remove-Container -Id $damaged.Id -Force -ErrorAction Continue
            Remove-Container -Id $healthy.Id -Force -ErrorAction Continue
        }
        Get-Remains $damaged.Id "$tag-damaged" | Should -BeNullOrEmpty
    }

    It 'is refused by name without -Force, and -Force kills its process through the cgroup and leaves nothing' {
        $damaged = New-Container $rootfs.Path -Name "$tag-running" -Command sleep, 600 | Start-Container
        $pid1 = $damaged.Pid
        try {
            Set-Content (Join-Path $store "$($damaged.Id)/state.json") 'garbage'
            { Remove-Container "$tag-running" -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerRecordDamaged*'
            Remove-Container "$tag-running" -Force -ErrorAction Stop
        }
        finally {
            Remove-Container -Id $damaged.Id -Force -ErrorAction Ignore
        }
        Get-Process -Id $pid1 -ErrorAction Ignore | Should -BeNullOrEmpty
        Get-Remains $damaged.Id "$tag-running" | Should -BeNullOrEmpty
    }
}

Describe 'What a create killed before spec.json leaves' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root' }
        # The kill -9 residue of issue 11: the name link and an empty state directory, nothing else.
        $script:id = -join ((1..64) | ForEach-Object { '{0:x}' -f (Get-Random -Maximum 16) })
        $script:name = "$tag-half-$(Get-Random)"
        New-Item -ItemType Directory (Join-Path $store $id) | Out-Null
        New-Item -ItemType Directory (Join-Path $store 'names') -Force | Out-Null
        New-Item -ItemType SymbolicLink -Path (Join-Path $store "names/$name") -Target $id | Out-Null
    }
    AfterEach {
        if ($isRoot) { Remove-Container -Id $id -Force -ErrorAction Ignore }
    }

    It 'is listed as Damaged, by its name' {
        $listed = Get-Container $name
        $listed.Id | Should -Be $id
        $listed.State | Should -Be 'Damaged'
        (Get-Container -State Damaged).Id | Should -Contain $id
    }

    It 'holds its name: New-Container says by what, and how to free it' {
        $refused = { New-Container $rootfs.Path -Name $name -Command true -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNameInUse*' -PassThru
        $refused.Exception.Message | Should -BeLike "*damaged record of container $($id.Substring(0, 12))*Remove-Container $name*"
    }

    It 'is removed by Remove-Container, and then the name is free' {
        Remove-Container $name -ErrorAction Stop
        Get-Remains $id $name | Should -BeNullOrEmpty
        $again = New-Container $rootfs.Path -Name $name -Command true
        Remove-Container -Id $again.Id -Force
    }

    It 'is refused by the other cmdlets with ContainerDamaged' {
        { Start-Container $name -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerDamaged*'
    }
}

Describe 'A damaged network record' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'networks need root' }
    }

    It 'hides no other network, refuses new leases on itself only, and -Force removes it and its links' {
        $broken = New-ContainerNetwork "$tag-nb" -Subnet (New-Subnet)
        $fine = New-ContainerNetwork "$tag-nf" -Subnet (New-Subnet)
        $attached = New-Container $rootfs.Path -Name "$tag-on-nb" -Network $broken.Name -Command sleep, 600
        try {
            Set-Content (Join-Path $store "networks/$($broken.Name)/leases.json") '[{"trunc'
            $errors = @()
            $listed = Get-ContainerNetwork -ErrorVariable errors -ErrorAction SilentlyContinue
            $listed.Name | Should -Contain $fine.Name
            $mine = @($errors | Where-Object TargetObject -EQ $broken.Name)
            $mine | Should -HaveCount 1
            $mine[0].FullyQualifiedErrorId | Should -BeLike 'NetworkRecordDamaged,*'
            $mine[0].Exception.Message | Should -BeLike '*leases.json*'

            $onFine = New-Container $rootfs.Path -Name "$tag-on-nf" -Network $fine.Name -Command true
            $onFine.State | Should -Be 'Created'
            { New-Container $rootfs.Path -Name "$tag-on-nb2" -Network $broken.Name -Command true -ErrorAction Stop } |
                Should -Throw -ErrorId 'NetworkRecordDamaged*'
            Remove-Container -Id $onFine.Id -Force -ErrorAction Stop

            # Its container goes with its host link, found by name since no lease can say it.
            Remove-Container -Id $attached.Id -Force -ErrorAction Stop
            Get-Remains $attached.Id "$tag-on-nb" | Should -BeNullOrEmpty

            { Remove-ContainerNetwork $broken.Name -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkRecordDamaged*'
            Remove-ContainerNetwork $broken.Name -Force -ErrorAction Stop
            Test-Path (Join-Path $store "networks/$($broken.Name)") | Should -BeFalse
            ip -o link show $broken.Bridge 2>$null | Should -BeNullOrEmpty
        }
        finally {
            Get-Container "$tag-on-*" -ErrorAction Ignore | Remove-Container -Force -ErrorAction Continue
            Remove-ContainerNetwork $broken.Name, $fine.Name -Force -ErrorAction Ignore
        }
    }

    It 'with a damaged network.json, is one error and -Force removes its bridge by name' {
        $broken = New-ContainerNetwork "$tag-nd" -Subnet (New-Subnet)
        try {
            Set-Content (Join-Path $store "networks/$($broken.Name)/network.json") '{}'
            $errors = @()
            Get-ContainerNetwork -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
            @($errors | Where-Object TargetObject -EQ $broken.Name) | Should -HaveCount 1
            Remove-ContainerNetwork $broken.Name -Force -ErrorAction Stop
            ip -o link show $broken.Bridge 2>$null | Should -BeNullOrEmpty
            Test-Path (Join-Path $store "networks/$($broken.Name)") | Should -BeFalse
        }
        finally {
            Remove-ContainerNetwork $broken.Name -Force -ErrorAction Ignore
        }
    }
}

Describe 'A network whose network.json is gone while leases.json stayed (a removal cut off)' {
    It 'is one NetworkRecordDamaged error, holds its name, and -Force removes it and its bridge' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'networks need root'; return }
        $cut = New-ContainerNetwork "$tag-nc" -Subnet (New-Subnet)
        $attached = New-Container $rootfs.Path -Name "$tag-on-nc" -Network $cut.Name -Command sleep, 600
        try {
            Remove-Item (Join-Path $store "networks/$($cut.Name)/network.json")
            $errors = @()
            Get-ContainerNetwork -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
            $mine = @($errors | Where-Object TargetObject -EQ $cut.Name)
            $mine | Should -HaveCount 1
            $mine[0].Exception.Message | Should -BeLike '*network.json*missing*'
            { New-ContainerNetwork $cut.Name -Subnet (New-Subnet) -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkRecordDamaged*'

            Remove-Container -Id $attached.Id -Force -ErrorAction Stop
            Remove-ContainerNetwork $cut.Name -Force -ErrorAction Stop
            Test-Path (Join-Path $store "networks/$($cut.Name)") | Should -BeFalse
            ip -o link show $cut.Bridge 2>$null | Should -BeNullOrEmpty
        }
        finally {
            Get-Container "$tag-on-*" -ErrorAction Ignore | Remove-Container -Force -ErrorAction Continue
            Remove-ContainerNetwork $cut.Name -Force -ErrorAction Ignore
        }
    }
}

Describe 'Sixteen removals of one container at once' {
    It 'each removes it or says ContainerNotFound, never a raw exception' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $target = New-Container $rootfs.Path -Name "$tag-race" -Command sleep, 600 | Start-Container
        $module = (Get-Module ContainerPS).Path
        try {
            $outcomes = 1..16 | ForEach-Object -ThrottleLimit 16 -Parallel {
                Import-Module $using:module
                try { Remove-Container "$using:tag-race" -Force -ErrorAction Stop; 'removed' }
                catch { $_.FullyQualifiedErrorId }
            }
            $outcomes | Should -HaveCount 16
            $outcomes | Should -Contain 'removed'
            $outcomes | Where-Object { $_ -ne 'removed' -and $_ -notlike 'ContainerNotFound,*' } | Should -BeNullOrEmpty
        }
        finally {
            Remove-Container -Id $target.Id -Force -ErrorAction Ignore
        }
        Get-Remains $target.Id "$tag-race" | Should -BeNullOrEmpty
    }
}
