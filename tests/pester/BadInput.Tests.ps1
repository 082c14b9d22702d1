# Pester 5: bad input to the container cmdlets is refused early, with an ErrorId that names what was wrong and a
# message that says what would be valid; nothing is left behind (no state directory, name or cgroup).
BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force
    $isRoot = (id -u) -eq '0'
    # A create that fails must end the test there, before it writes into a record that is not there.
    $PSDefaultParameterValues['New-Container:ErrorAction'] = 'Stop'
    $tag = "cps-bad-$PID"
    $store = if ($env:CONTAINERPS_ROOT) { $env:CONTAINERPS_ROOT } else { '/run/containerps' }
    $rootfsPath = Join-Path ([IO.Path]::GetTempPath()) "$tag-rootfs"
    if ($isRoot) { $rootfs = New-ContainerRootFs $rootfsPath -Busybox }

    # The store's container directories and names, to show a refusal made none.
    function Get-StoreEntries {
        @(Get-ChildItem $store -Directory -ErrorAction Ignore).Name
        @(Get-ChildItem (Join-Path $store 'names') -ErrorAction Ignore).Name | Where-Object { $_ -like "$tag-*" }
    }
}

AfterAll {
    Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force -ErrorAction Continue
    if (Test-Path $rootfsPath) { Remove-Item $rootfsPath -Recurse -Force }
}

Describe 'Refused before anything is made' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'New-Container needs root' }
        $script:before = Get-StoreEntries
    }
    AfterEach {
        if ($isRoot) { Get-StoreEntries | Where-Object { $_ -notin $before -and $_ -like "$tag-*" } | Should -BeNullOrEmpty }
    }

    It '<Case> is <ErrorId>' -ForEach @(
        @{ Case = '-RootFs /'; ErrorId = 'RootFsIsHostRoot'; Arguments = @{ RootFs = '/' }; Says = "*host's own root*New-ContainerRootFs*" }
        @{ Case = '-Memory 1'; ErrorId = 'ContainerMemoryTooLow'; Arguments = @{ Memory = '1' }; Says = '*-Memory 1 is below*6MB*' }
        @{ Case = 'a mount onto /proc'; ErrorId = 'MountTargetReserved'; Arguments = @{ Mount = '/tmp:/proc' }; Says = "*targets /proc*procfs*" }
        @{ Case = 'a mount onto /dev'; ErrorId = 'MountTargetReserved'; Arguments = @{ Mount = '/tmp:/dev/' }; Says = '*targets /dev/*' }
        @{ Case = 'a mount under /sys'; ErrorId = 'MountTargetReserved'; Arguments = @{ Mount = '/tmp:/sys/kernel' }; Says = '*sysfs*' }
        @{ Case = 'a NUL in an environment value'; ErrorId = 'InvalidEnvironmentVariable'; Arguments = @{ Environment = @{ GREETING = "hi`0there" } }; Says = "*GREETING*NUL*" }
        @{ Case = 'a NUL in an environment name'; ErrorId = 'InvalidEnvironmentVariable'; Arguments = @{ Environment = @{ "BAD`0NAME" = 'x' } }; Says = '*BAD\0NAME*' }
        @{ Case = 'a name of 12 hex digits'; ErrorId = 'ContainerNameLooksLikeId'; Arguments = @{ Name = 'deadbeef0123' }; Says = "*'deadbeef0123' is 12 hex digits*" }
        @{ Case = 'a name of 64 hex digits'; ErrorId = 'ContainerNameLooksLikeId'; Arguments = @{ Name = 'a' * 64 }; Says = '*reads as a container id*' }
    ) {
        $given = @{ RootFs = $rootfs.Path; Name = "$tag-x"; Command = 'true' }
        foreach ($key in $Arguments.Keys) { $given[$key] = $Arguments[$key] }
        $refused = { New-Container @given -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId*" -PassThru
        $refused.Exception.Message | Should -BeLike $Says
    }

    It 'a name with hex digits and something else is a name' {
        $named = New-Container $rootfs.Path -Name "$tag-deadbeef0123" -Command true
        Remove-Container -Id $named.Id -Force
    }
}

Describe 'Names and ids apart' {
    It '-Id takes ids only: a container named like another one''s id prefix is never picked by -Id' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'New-Container needs root'; return }
        $other = New-Container $rootfs.Path -Name "$tag-other" -Command true
        # Short hex names are still names; -Id with the same text finds the container whose id begins so, or nothing.
        $prefix = $other.Id.Substring(0, 6)
        $named = New-Container $rootfs.Path -Name $prefix -Command true
        try {
            (Get-Container -Id $prefix).Id | Should -Be $other.Id
            (Get-Container $prefix).Id | Should -Contain $named.Id
        }
        finally {
            Remove-Container -Id $named.Id, $other.Id -Force
        }
    }
}

Describe 'A bad -Name pattern' {
    It 'is InvalidNamePattern, not a parser exception' {
        $errors = @()
        Get-Container '[' -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidNamePattern,*'
        $errors[0].TargetObject | Should -Be '['
    }
}
