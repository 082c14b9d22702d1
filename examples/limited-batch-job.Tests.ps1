# Pester 5: Invoke-Pester runs it (./build.sh test does, with the examples and tests/pester).
BeforeAll { Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'ContainerPS.psd1')) }

Describe 'limited-batch-job' {
    BeforeAll { $script = [IO.Path]::Combine($PSScriptRoot, 'limited-batch-job.ps1') }

    It 'runs the job to completion and reports its output and accounting' {
        $result = & $script
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Contain 'step 5'
        $result.MemoryPeak | Should -BeGreaterThan 0
        Get-Container $result.Name -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'reports an OOM kill when the job outgrows its memory' {
        $result = & $script -Command awk, 'BEGIN { s = "x"; while (1) s = s s }' -Memory 16MB
        $result.OomKilled | Should -BeTrue
        $result.ExitCode | Should -Be 137
    }
}
