# Pester 5: parameters as users meet them: what Get-Command shows, how bad values fail, and -Namespace meaning one thing.
BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force
    $script:isRoot = (id -u) -eq '0'

    # The error records a script block writes, or the one that ends it, so a test can count them.
    function Get-ErrorRecord([scriptblock] $script) {
        try { @(& $script 2>&1) | Where-Object { $_ -is [Management.Automation.ErrorRecord] } }
        catch { $_ }
    }
}

Describe 'The cgroup limit parameters' {
    It 'are listed by Get-Command -Syntax on every cmdlet that takes them' {
        foreach ($command in 'New-Container', 'New-Cgroup', 'Set-CgroupLimit') {
            $syntax = Get-Command $command -Syntax | Out-String
            foreach ($parameter in '-Memory', '-MemorySwap', '-CpuWeight', '-CpuShares', '-CpuQuota', '-CpuSet', '-Pids', '-IoWeight', '-IoMax') {
                $syntax | Should -BeLike "*$parameter *" -Because "$command takes $parameter"
            }
        }
    }

    It 'fail once, not once per piped rootfs, for a bad -<Parameter>' -ForEach @(
        @{ Parameter = 'Pids'; Value = 0; ErrorId = 'InvalidPidsLimit' }
        @{ Parameter = 'CpuQuota'; Value = 0; ErrorId = 'InvalidCpuQuota' }
    ) {
        $rootfs = 1..3 | ForEach-Object { [pscustomobject]@{ Path = [IO.Path]::Combine($TestDrive, "cps-rootfs$_") } }
        $limit = @{ $Parameter = $Value }
        $errors = Get-ErrorRecord { $rootfs | New-Container -Command true @limit }
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
    }

    It 'fail once for three piped cgroup names' {
        $errors = Get-ErrorRecord { 'cps-p1', 'cps-p2', 'cps-p3' | New-Cgroup -Pids -5 }
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPidsLimit,*'
    }

    It 'ask Set-CgroupLimit for at least one limit, once' {
        $errors = Get-ErrorRecord { 'cps-p1', 'cps-p2', 'cps-p3' | ForEach-Object { [pscustomobject]@{ Path = $_ } } | Set-CgroupLimit }
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NoLimitGiven,*'
    }
}

Describe '-Namespace is typed at binding' {
    It 'gives the networking cmdlets a -Namespace of a real type' {
        foreach ($command in Get-Command -Module ContainerPS -Noun NetworkLink, NetworkAddress, NetworkRoute, NetworkBridge, VethPair) {
            $command.Parameters['Namespace'].ParameterType.Name | Should -Be 'NetworkNamespaceTarget' -Because "$($command.Name) -Namespace"
        }
    }

    It 'refuses what cannot name a network namespace, saying what would' {
        $errors = Get-ErrorRecord { Get-NetworkLink -Namespace @{ Net = 1 } }
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $errors[0].Exception.Message | Should -BeLike '*does not name a network namespace*an ''ip netns'' name*'
    }

    It 'refuses a namespace kind New-Container does not know, listing the valid ones' {
        $errors = Get-ErrorRecord { New-Container ([IO.Path]::Combine($TestDrive, 'cps-none')) -Namespace Pid, Bogus -Command true }
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $errors[0].Exception.Message | Should -BeLike "*'Bogus' is not a namespace kind*Valid kinds:*Net*"
    }
}

Describe 'Set-NetworkLink: -Namespace says where, -MoveToNamespace moves' {
    BeforeAll {
        $script:netns = 'cps-pm' + [Guid]::NewGuid().ToString('n').Substring(0, 6)
        $script:hostEnd = "$($netns)h"
        $script:movedEnd = "$($netns)c"
        if (-not $isRoot) { return }
        New-Namespace $netns -Kind Net | Out-Null
        New-VethPair $hostEnd $movedEnd | Out-Null
    }

    AfterAll {
        if (-not $isRoot) { return }
        Remove-NetworkLink $hostEnd -ErrorAction Continue
        Remove-Namespace $netns -ErrorAction Continue
    }

    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'making links and network namespaces needs root' }
    }

    It 'moves a link with -MoveToNamespace, as ip link set DEV netns NS does' {
        $moved = Set-NetworkLink $movedEnd -MoveToNamespace $netns -PassThru
        $moved.NamespacePath | Should -Be "/run/netns/$netns"
        Get-NetworkLink $movedEnd -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-NetworkLink -Namespace $netns).Name | Should -Contain $movedEnd
    }

    It 'changes a link where -Namespace says, as Add-NetworkAddress acts there' {
        $changed = Set-NetworkLink $movedEnd -Namespace $netns -Up -Mtu 1400 -PassThru
        $changed.Mtu | Should -Be 1400
        $changed.NamespacePath | Should -Be "/run/netns/$netns"
        (Get-NetworkLink $movedEnd -Namespace $netns).Mtu | Should -Be 1400
        (Get-NetworkLink $hostEnd).Mtu | Should -Not -Be 1400
    }

    It 'does not look in the host for a link -Namespace puts elsewhere' {
        $errors = Get-ErrorRecord { Set-NetworkLink $hostEnd -Namespace $netns -Mtu 1300 }
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'LinkNotFound,*'
        (Get-NetworkLink $hostEnd).Mtu | Should -Not -Be 1300
    }
}
