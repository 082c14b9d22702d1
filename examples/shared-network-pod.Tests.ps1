# Pester 5: Invoke-Pester runs it (./build.sh test does, with the examples and tests/pester).
BeforeAll { Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'ContainerPS.psd1')) }

Describe 'shared-network-pod' {
    It 'lets the client reach the server over the loopback of their shared namespace' {
        $result = & ([IO.Path]::Combine($PSScriptRoot, 'shared-network-pod.ps1'))
        $result.ClientExitCode | Should -Be 0
        $result.Received | Should -Be @('hello from the client')
        Get-Container "$($result.Pod)-*" -ErrorAction Ignore | Should -BeNullOrEmpty
    }
}
