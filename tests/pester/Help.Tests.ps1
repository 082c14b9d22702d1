# Pester 5: Get-Help as a user reads it after Import-Module. The MAML comes from the cmdlets' /// comments
# (module/New-HelpFile.ps1) and the about topic from module/about_ContainerPS.help.txt; both are put in en-US/ by the build.
BeforeDiscovery {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force
    $cmdlets = @((Get-Module ContainerPS).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force
    $common = [Management.Automation.Cmdlet]::CommonParameters + [Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Help of <Name>' -ForEach $cmdlets {
    BeforeAll { $help = Get-Help $Name -Full }

    It 'has a one-line synopsis that is not the syntax and not the whole description' {
        $synopsis = "$($help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        # Without a help file Get-Help makes the synopsis from the syntax.
        $synopsis | Should -Not -BeLike "$Name *"
        $synopsis | Should -Not -Match '\r?\n'
        $description = ($help.description.Text -join ' ').Trim()
        $description | Should -Not -BeNullOrEmpty
        $description | Should -Not -Be $synopsis
    }

    It 'describes every parameter Get-Command reports' {
        $parameters = @((Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common })
        foreach ($parameter in $parameters) {
            $text = ((Get-Help $Name -Parameter $parameter).description.Text -join ' ').Trim()
            $text | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs a description"
        }
    }

    It 'has at least one example with code and a remark' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "each example of $Name says what it does"
        }
        ($examples.code -join "`n") | Should -Match ([regex]::Escape($Name))
    }

    It 'names its inputs and outputs and links related help' {
        @($help.inputTypes.inputType).Count | Should -BeGreaterOrEqual 1
        @($help.inputTypes.inputType.type.name | Where-Object { $_ }).Count | Should -BeGreaterOrEqual 1
        @($help.returnValues.returnValue.type.name | Where-Object { $_ }).Count | Should -BeGreaterOrEqual 1
        $help.relatedLinks.navigationLink.linkText | Should -Contain 'about_ContainerPS'
    }
}

Describe 'Help a user reads first' {
    It 'Get-Help about_ContainerPS shows the concepts, the state directory and the table of commands' {
        $about = Get-Help about_ContainerPS | Out-String
        $about | Should -Match 'CONCEPTS'
        $about | Should -Match '/run/containerps/<id>/'
        $about | Should -Match 'containerps-runtime spare'
        foreach ($row in 'unshare\b.*New-Container', 'nsenter\b.*Enter-Namespace', 'lsns\s+Get-Namespace', 'cgcreate\b.*New-Cgroup',
            'cgset\b.*Set-CgroupLimit', 'cgexec\b.*Add-CgroupProcess', 'ip link add\b.*New-VethPair', 'ip addr add\b.*Add-NetworkAddress',
            'ip route add\b.*Add-NetworkRoute', 'ip netns add\s.*New-Namespace', 'docker exec NAME CMD\s+Invoke-ContainerCommand',
            'docker ps -a\s+Get-Container', 'docker stop NAME\s+Stop-Container', 'docker rm -f NAME\s+Remove-Container',
            'docker network create\b.*New-ContainerNetwork') {
            $about | Should -Match $row
        }
    }

    It 'about_ContainerPS shows both ways to pass a command with dash options' {
        $about = Get-Help about_ContainerPS | Out-String
        $about | Should -Match ([regex]::Escape("Invoke-ContainerCommand web -- sh -c 'echo hi'"))
        $about | Should -Match ([regex]::Escape("Invoke-ContainerCommand web -Command sh,-c,'echo hi'"))
    }

    It 'Get-Help New-Container -Examples shows examples with code and what they do' {
        $text = Get-Help New-Container -Examples | Out-String
        $text | Should -Match 'Example 3'
        $text | Should -Match ([regex]::Escape('New-ContainerRootFs /tmp/cps-rootfs -Busybox | New-Container'))
        $text | Should -Match 'removes it when it exits'
    }

    It 'the examples of commands with dash options use -- or the array form' {
        foreach ($name in 'New-Container', 'Invoke-ContainerCommand', 'Enter-Namespace', 'Enter-Container', 'Add-CgroupProcess') {
            foreach ($code in (Get-Help $name -Examples).examples.example.code) {
                # In the cmdlet's own part of the line (to the next pipe or --, parenthesised commands left out), every word
                # that starts with a dash must be one of its parameters, unambiguously; an option of the contained command
                # belongs after a bare -- or inside an array (after a comma).
                $parameters = (Get-Command $name).Parameters.Keys
                $own = ($code.Substring($code.LastIndexOf($name)) -replace '\([^()]*\)', '' -split ' -- | \| ')[0]
                foreach ($word in [regex]::Matches($own, '(?<=\s)-[A-Za-z]\w*') | ForEach-Object Value) {
                    $named = @($parameters | Where-Object { $_ -eq $word.Substring(1) })
                    if ($named.Count -eq 0) { $named = @($parameters | Where-Object { $_ -like "$($word.Substring(1))*" }) }
                    $named.Count | Should -Be 1 -Because "'$word' in '$code' must name one parameter of $name; use -- or an array"
                }
            }
        }
    }
}
