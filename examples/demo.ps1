<#
.SYNOPSIS
    ContainerPS in one minute: a busybox container, and what it can and cannot see.
.DESCRIPTION
    Seed 000's experiments as pipelines: its own hostname, PID 1, its own root, only a loopback link, and a
    detached container with cgroup limits that runs on under its shim until it is stopped, its exit recorded.
    Run as root (./build.sh demo).
#>
$ErrorActionPreference = 'Stop'
Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'ContainerPS.psd1'))

function Say([string] $text) { [Console]::WriteLine("`n# $text") }
$rootfs = [IO.Path]::Combine([IO.Path]::GetTempPath(), "cps-demo-rootfs-$PID")

try {
    Say "A busybox root filesystem"
    New-ContainerRootFs -Path $rootfs -Busybox | Out-Default

    Say "Its own hostname (the host stays $([Environment]::MachineName))"
    New-Container -RootFs $rootfs -Name cps-demo-hostname -Hostname kevin -Command hostname | Start-Container -Attach

    Say "Its own process tree: ps is PID 1"
    New-Container -RootFs $rootfs -Name cps-demo-ps -Command ps | Start-Container -Attach

    Say "Its own root: / is the rootfs, not the host's"
    New-Container -RootFs $rootfs -Name cps-demo-ls -Command ls, / | Start-Container -Attach

    Say "Its own network stack: only lo"
    New-Container -RootFs $rootfs -Name cps-demo-net -Command ip, link | Start-Container -Attach

    Say "A detached container runs under its shim and outlives the command that started it"
    New-Container -RootFs $rootfs -Name cps-demo-sleep -Command sleep, 1000 | Start-Container | Out-Default

    Say "Get-Container: every container of this demo, its state read from the kernel"
    Get-Container cps-demo-* | Out-Default

    Say "Its limits and accounting come from its own cgroup"
    Get-Container cps-demo-sleep | Set-CgroupLimit -Memory 64MB -Pids 16 -PassThru | Out-Default

    Say "Stop-Container: SIGTERM, then SIGKILL after the grace period; the exit is recorded"
    # sleep as PID 1 has no SIGTERM handler, so the kernel ignores SIGTERM and the SIGKILL ends it: exit code 137.
    Stop-Container cps-demo-sleep -Timeout 1
    Wait-Container cps-demo-sleep | Out-Default
}
finally {
    Get-Container cps-demo-* | Remove-Container -Force
    if ([IO.Directory]::Exists($rootfs)) { [IO.Directory]::Delete($rootfs, $true) }
}
