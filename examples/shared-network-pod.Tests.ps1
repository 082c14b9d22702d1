# Pester 5: run with Invoke-Pester where Pester is installed (build.ps1 test does when it finds it).
Describe 'shared-network-pod' {
    It 'lets the client reach the server over the loopback of their shared namespace' {
        $result = & ([IO.Path]::Combine($PSScriptRoot, 'shared-network-pod.ps1'))
        $result.ClientExitCode | Should -Be 0
        $result.Received | Should -Be @('hello from the client')
        Get-Container "$($result.Pod)-*" -ErrorAction Ignore | Should -BeNullOrEmpty
    }
}
