@{
    # After ./build.sh build the checkout itself is the module: the assemblies and the runtime helper are in module/bin.
    RootModule           = 'module/bin/ContainerPS.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0f3c1e-8a4b-4f7e-9c2d-1b6e4a7f3c90'
    Author               = 'ContainerPS maintainers'
    CompanyName          = 'ContainerPS'
    Copyright            = '(c) ContainerPS maintainers. MIT License.'
    Description          = 'Linux containers from PowerShell: namespaces, cgroups (v1, v2 and hybrid hosts), pivot_root and mounts, rtnetlink links, addresses and routes, and container networks with NAT, as cmdlets that emit typed objects which pipe into each other. Runs containers from a root filesystem directory (busybox or host programs; no images yet) where one would use runc/crun, and replaces unshare/nsenter/lsns, cgcreate/cgset/cgexec and ip link/addr/route/netns. Linux x64 only; running containers needs root.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('formats/ContainerPS.format.ps1xml')
    CmdletsToExport      = @(
        'New-ContainerRootFs'
        'New-Container'
        'Start-Container'
        'Get-Container'
        'Wait-Container'
        'Stop-Container'
        'Get-ContainerLog'
        'Remove-Container'
        'Suspend-Container'
        'Resume-Container'
        'New-Cgroup'
        'Get-Cgroup'
        'Remove-Cgroup'
        'Add-CgroupProcess'
        'Set-CgroupLimit'
        'Get-CgroupLimit'
        'Get-CgroupStat'
        'Get-Namespace'
        'New-Namespace'
        'Remove-Namespace'
        'Enter-Namespace'
        'Invoke-ContainerCommand'
        'Enter-Container'
        'New-VethPair'
        'New-NetworkBridge'
        'Get-NetworkLink'
        'Set-NetworkLink'
        'Remove-NetworkLink'
        'Add-NetworkAddress'
        'Get-NetworkAddress'
        'Remove-NetworkAddress'
        'Add-NetworkRoute'
        'Get-NetworkRoute'
        'Remove-NetworkRoute'
        'New-ContainerNetwork'
        'Get-ContainerNetwork'
        'Remove-ContainerNetwork'
        'Connect-ContainerNetwork'
        'Disconnect-ContainerNetwork'
        'Import-ContainerImage'
        'Get-ContainerImage'
        'Remove-ContainerImage'
        'Export-ContainerImage'
        'Export-Container'
        'Export-ContainerBundle'
        'New-ContainerImage'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Linux', 'PSEdition_Core', 'Container', 'Containers', 'Namespace', 'Cgroup', 'Cgroups', 'Netlink', 'runc', 'nsenter', 'unshare')
            # The MIT licence's text at its SPDX entry; the package carries LICENSE with the copyright line. The project
            # has no public home yet, so there is no ProjectUri: add it when one exists rather than invent one.
            LicenseUri = 'https://spdx.org/licenses/MIT.html'
        }
    }
}
