# Pester 5: the module as a user's session sees it (./build.sh test runs every file here).
BeforeAll { Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force }

Describe 'ContainerPS module' {
    It 'exports every cmdlet the manifest lists, each with a help synopsis and an output type' {
        $manifest = Import-PowerShellDataFile ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1'))
        foreach ($name in $manifest.CmdletsToExport) {
            $command = Get-Command $name -Module ContainerPS -ErrorAction Stop
            $command.CommandType | Should -Be 'Cmdlet'
            $command.OutputType.Count | Should -BeGreaterThan 0 -Because "$name declares [OutputType]"
        }
    }

    It 'supports -WhatIf on every cmdlet that changes the host' {
        foreach ($verb in 'New', 'Set', 'Remove', 'Start', 'Stop', 'Add', 'Suspend', 'Resume', 'Invoke', 'Connect', 'Disconnect') {
            foreach ($command in Get-Command -Module ContainerPS -Verb $verb) {
                $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue -Because "$($command.Name) changes the host"
            }
        }
    }
}
