# Runs inside the cgroup v2 guest (build/CgroupV2Guest.ps1 starts it): the v2 acceptance suite, whose counts go to
# a file on a share the host reads, since the guest's own writes vanish at power-off.
param([Parameter(Mandatory)] [string] $CountsPath)
$ErrorActionPreference = 'Stop'
$repo = Split-Path -Parent $PSScriptRoot
Import-Module ([IO.Path]::Combine($repo, '.build', 'packages', 'pester', '5.9.1', 'tools', 'Pester.psd1'))
$configuration = New-PesterConfiguration
$configuration.Run.Path = [IO.Path]::Combine($repo, 'tests', 'pester', 'CgroupV2.Tests.ps1')
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Output.RenderMode = 'Plaintext'
$result = Invoke-Pester -Configuration $configuration
@{
    Passed = $result.PassedCount
    Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount
    FailedNames = @($result.Failed | ForEach-Object ExpandedPath) + @($result.FailedBlocks | ForEach-Object ExpandedPath)
} | ConvertTo-Json | Set-Content $CountsPath
