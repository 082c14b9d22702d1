<#
.SYNOPSIS
    A batch job in a container with memory, CPU and process limits; reports how it ended and what it used.
.DESCRIPTION
    A provisioning runbook's typical step: run a bounded piece of work isolated from the host, wait for it, collect
    its output and accounting, and leave nothing behind. Returns one object per run.
.EXAMPLE
    ./examples/limited-batch-job.ps1 -Command sh,-c,'seq 1 3' -Memory 64MB
#>
[CmdletBinding()]
param(
    [string[]] $Command = @('sh', '-c', 'echo working; seq 1 5 | while read i; do echo step $i; done'),
    [ContainerPS.Core.Cgroups.ByteSize] $Memory = 64MB,
    [double] $CpuQuota = 0.5,
    [long] $Pids = 32
)
$ErrorActionPreference = 'Stop'
Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'ContainerPS.psd1'))

$name = "cps-job-$([Guid]::NewGuid().ToString('N').Substring(0, 6))"
$rootfs = [IO.Path]::Combine([IO.Path]::GetTempPath(), $name)
try {
    New-ContainerRootFs -Path $rootfs -Busybox | Out-Null
    $job = New-Container -RootFs $rootfs -Name $name -Command $Command -Memory $Memory -CpuQuota $CpuQuota -Pids $Pids
    $exit = $job | Start-Container | Wait-Container
    $stat = $job | Get-CgroupStat
    [pscustomobject]@{
        Name       = $name
        ExitCode   = $exit.ExitCode
        OomKilled  = $exit.OomKilled
        Output     = @(Get-ContainerLog $name | ForEach-Object Text)
        MemoryPeak = $stat.MemoryPeak
        CpuUsage   = $stat.CpuUsage
    }
}
finally {
    Get-Container $name -ErrorAction Ignore | Remove-Container -Force
    if ([IO.Directory]::Exists($rootfs)) { [IO.Directory]::Delete($rootfs, $true) }
}
