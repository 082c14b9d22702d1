# Pester 5: Tab completion as a user presses it, through TabExpansion2, for every kind of name the cmdlets take.
BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force

    # What Tab offers at the end of a line, as the completion menu would list it.
    function Get-Completion([string] $line) {
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
    }

    $script:isRoot = (id -u) -eq '0'
    # Interface names stop at 15 characters: a short tag keeps "<tag>h" well inside.
    $script:tag = 'cps-c' + [Guid]::NewGuid().ToString('n').Substring(0, 5)
    $script:web = "$tag-web"
    $script:network = "$tag-net"
    $script:group = "$tag-grp"
    $script:netns = "$tag-ns"
    $script:spaced = "$tag x"
    $script:hostEnd = "${tag}h"
    $script:movedEnd = "${tag}c"
    if (-not $isRoot) { return }

    $rootfs = New-ContainerRootFs ([IO.Path]::Combine($TestDrive, 'rootfs')) -Busybox
    $script:container = New-Container $rootfs.Path -Name $web -Command sleep, 1000 | Start-Container
    New-ContainerNetwork $network -Subnet "10.$(Get-Random -Minimum 150 -Maximum 200).$(Get-Random -Maximum 250).0/24" | Out-Null
    New-Cgroup $group | Out-Null
    New-Namespace $netns -Kind Net | Out-Null
    ip netns add $spaced
    New-VethPair $hostEnd $movedEnd | Where-Object Name -eq $movedEnd | Set-NetworkLink -MoveToNamespace $netns
}

AfterAll {
    if (-not $isRoot) { return }
    Remove-Container $web -Force -ErrorAction Continue
    Remove-ContainerNetwork $network -Force -ErrorAction Continue
    Remove-Cgroup $group -Force -ErrorAction Continue
    Remove-NetworkLink $hostEnd -ErrorAction Continue   # its peer, moved into the namespace, goes with it
    Remove-Namespace $netns -ErrorAction Continue
    ip netns del $spaced
}

Describe 'Tab completion' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'making containers, networks, cgroups and namespaces needs root' }
    }

    It 'completes a container by name for -Name, -Container and the first position' {
        Get-Completion "Get-Container -Name $tag" | Should -Contain $web
        Get-Completion "Stop-Container $tag" | Should -Contain $web
        Get-Completion "Invoke-ContainerCommand $tag" | Should -Contain $web
        Get-Completion "Get-ContainerLog -Container $tag" | Should -Contain $web
        Get-Completion "Get-Namespace -Container $tag" | Should -Contain $web
    }

    It 'completes a container by id for -Id and -ContainerId, and by id prefix where a name is taken' {
        $prefix = $container.Id.Substring(0, 6)
        Get-Completion "Get-Container -Id $prefix" | Should -Contain $container.Id
        Get-Completion "Get-CgroupStat -ContainerId $prefix" | Should -Contain $container.Id
        Get-Completion "Remove-Container $prefix" | Should -Contain $container.Id
    }

    It 'completes container networks wherever a network is named' {
        Get-Completion "Get-ContainerNetwork $tag" | Should -Contain $network
        Get-Completion "Remove-ContainerNetwork -Name $tag" | Should -Contain $network
        Get-Completion "Connect-ContainerNetwork $web -Network $tag" | Should -Contain $network
        Get-Completion "Disconnect-ContainerNetwork $web -Network $tag" | Should -Contain $network
        Get-Completion "New-Container /tmp -Network $tag" | Should -Contain $network
        Get-Completion 'New-Container /tmp -Network ho' | Should -Contain 'host'
    }

    It 'completes our cgroups, and not the groups named by container ids' {
        foreach ($command in 'Get-Cgroup', 'Remove-Cgroup', 'Get-CgroupLimit', 'Set-CgroupLimit', 'Get-CgroupStat', 'Add-CgroupProcess') {
            Get-Completion "$command $tag" | Should -Contain $group -Because "$command names cgroups"
        }
        Get-Completion "Get-Cgroup $($container.Id.Substring(0, 6))" | Should -BeNullOrEmpty
    }

    It 'completes persistent namespaces, and ip netns names (quoted when they hold a space) where a network namespace is taken' {
        Get-Completion "Remove-Namespace $tag" | Should -Contain $netns
        Get-Completion "Get-Namespace -Name $tag" | Should -Contain $netns
        $offered = Get-Completion "Get-NetworkLink -Namespace $tag"
        $offered | Should -Contain $netns
        $offered | Should -Contain "'$spaced'"
        $offered | Should -Contain $web
    }

    It 'completes links in the namespace the command targets' {
        Get-Completion "Get-NetworkLink $tag" | Should -Contain $hostEnd
        Get-Completion "Get-NetworkLink $tag" | Should -Not -Contain $movedEnd

        $inside = Get-Completion "Set-NetworkLink -Namespace $netns $tag"
        $inside | Should -Contain $movedEnd
        $inside | Should -Not -Contain $hostEnd
        Get-Completion "Add-NetworkAddress 10.9.9.9/24 -Namespace $netns -LinkName $tag" | Should -Contain $movedEnd
        Get-Completion "Get-NetworkAddress -Namespace $netns $tag" | Should -Contain $movedEnd
        Get-Completion "Remove-NetworkLink -Namespace $netns -Name $tag" | Should -Contain $movedEnd
    }

    It 'completes links in a container held in a variable' {
        $global:cpsCompletionTarget = $container
        try {
            Get-Completion '$c = 1; Get-NetworkLink -Namespace $cpsCompletionTarget l' | Should -Contain 'lo'
            Get-Completion '$c = 1; Get-NetworkLink -Namespace $cpsCompletionTarget cps' | Should -BeNullOrEmpty
        }
        finally {
            Remove-Variable cpsCompletionTarget -Scope Global
        }
    }

    It 'offers nothing, and does not fail, where -Namespace names nothing' {
        { Get-Completion "Get-NetworkLink -Namespace $tag-missing l" } | Should -Not -Throw
        Get-Completion "Get-NetworkLink -Namespace $tag-missing l" | Should -BeNullOrEmpty
        # A command in parentheses is not run for completion: the host's links would be the wrong answer.
        Get-Completion "Get-NetworkLink -Namespace (Get-Container $tag) l" | Should -BeNullOrEmpty
    }

    It 'still completes the other containers when one record is damaged' {
        # A store of our own (CONTAINERPS_ROOT), so the damaged record never reaches another session's Get-Container.
        $store = [IO.Path]::Combine($TestDrive, 'store')
        $goodId = 'a' * 64
        $badId = 'b' * 64
        New-Item -ItemType Directory ([IO.Path]::Combine($store, $goodId)), ([IO.Path]::Combine($store, $badId)), ([IO.Path]::Combine($store, 'names')) | Out-Null
        Set-Content ([IO.Path]::Combine($store, $badId, 'spec.json')) '{ not json'
        New-Item -ItemType SymbolicLink ([IO.Path]::Combine($store, 'names', "$tag-good")) -Target $goodId | Out-Null
        New-Item -ItemType SymbolicLink ([IO.Path]::Combine($store, 'names', "$tag-bad")) -Target $badId | Out-Null
        New-Item -ItemType SymbolicLink ([IO.Path]::Combine($store, 'names', "$tag-gone")) -Target ('c' * 64) | Out-Null
        $saved = $env:CONTAINERPS_ROOT
        $env:CONTAINERPS_ROOT = $store
        try {
            $offered = Get-Completion "Get-Container $tag"
            $offered | Should -Contain "$tag-good"
            $offered | Should -Contain "$tag-bad"
            $offered | Should -Not -Contain "$tag-gone" -Because 'a name whose container directory is gone names nothing'
        }
        finally {
            $env:CONTAINERPS_ROOT = $saved
        }
    }
}
