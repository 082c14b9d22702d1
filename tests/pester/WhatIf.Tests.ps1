# Pester 5: -WhatIf says what the real call would do, refusals included. What-if lines go to the host, not to a stream a
# script can capture, so each case runs in a child pwsh and reads its console output.
BeforeAll {
    $script:manifest = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')
    $script:isRoot = (id -u) -eq '0'
    # The pwsh running these tests (as a .NET tool the process itself is dotnet; $PSHOME holds its pwsh).
    $script:pwsh = [IO.Path]::Combine($PSHOME, 'pwsh')

    # The console lines a command prints in a fresh session that imported the module (what-if lines and errors).
    function Invoke-WhatIf([string] $command) {
        & $pwsh -NoProfile -NonInteractive -Command "Import-Module '$manifest'; $command" 2>&1 | Out-String
    }

    $script:name = 'cps-wi' + [Guid]::NewGuid().ToString('n').Substring(0, 6)
    if (-not $isRoot) { return }
    Import-Module $manifest -Force
    $rootfs = New-ContainerRootFs ([IO.Path]::Combine($TestDrive, 'rootfs')) -Busybox
    New-Container $rootfs.Path -Name $name -Command sleep, 1000 | Start-Container | Out-Null
}

AfterAll {
    if ($isRoot) { Remove-Container $name -Force -ErrorAction Continue }
}

Describe '-WhatIf' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'a running container needs root' }
    }

    It 'shows Remove-Container refusing a running container without -Force, and removes nothing' {
        $said = Invoke-WhatIf "Remove-Container $name -WhatIf"
        $said | Should -Not -BeLike '*What if*'
        $said | Should -BeLike "*Container '$name' is Running*-Force*"
        (Get-Container $name).State | Should -Be 'Running'
    }

    It 'says Remove-Container -Force would kill and then remove a running container' {
        $said = Invoke-WhatIf "Remove-Container $name -Force -WhatIf"
        $said | Should -BeLike '*What if*Stop the Running container by killing every process in it (SIGKILL), then remove it*'
        (Get-Container $name).State | Should -Be 'Running'
    }

    It 'shows Start-Container refusing a container that is not Created' {
        $said = Invoke-WhatIf "Start-Container $name -WhatIf"
        $said | Should -Not -BeLike '*What if*'
        $said | Should -BeLike '*only a Created container can be started*'
    }

    It 'says Stop-Container sends SIGTERM and then SIGKILL after the grace period' {
        Invoke-WhatIf "Stop-Container $name -Timeout 3 -WhatIf" | Should -BeLike '*What if*SIGTERM, then SIGKILL after 3 s*'
        (Get-Container $name).State | Should -Be 'Running'
    }

    It 'shows Remove-Namespace refusing a name that does not exist' {
        $said = Invoke-WhatIf "Remove-Namespace $name-missing -WhatIf"
        $said | Should -Not -BeLike '*What if*'
        $said | Should -BeLike "*No persistent namespace is named '$name-missing'*"
    }
}
