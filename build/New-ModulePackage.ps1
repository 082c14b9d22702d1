#requires -Version 7.4
<#
.SYNOPSIS
    Packs the built module into ContainerPS.<version>.nupkg, the package Install-PSResource installs.
.DESCRIPTION
    PSResourceGet makes the package itself (Compress-PSResource: the nuspec from the manifest, checked with
    Test-ModuleManifest), so what a gallery or a file-system repository receives is what Publish-PSResource would
    make. The package holds only what the module needs: the manifest, module/bin (the assemblies, and in
    linux-x64 and linux-arm64 each machine's Tmds.LibC and containerps-runtime shim), formats/, en-US/ (help) and LICENSE, copied to a staging folder named ContainerPS first.
    The module must be built (./build.sh build); `./build.sh package` builds and then runs this.
    A NuGet package records no Unix file modes, so the shim is installed without its execute bit; the module gives it
    back before it first starts the shim (RuntimeHelperFile in ContainerPS.Core).
.OUTPUTS
    System.IO.FileInfo: the .nupkg.
.EXAMPLE
    ./build/New-ModulePackage.ps1 -OutputPath out/package
#>
[CmdletBinding()]
[OutputType([IO.FileInfo])]
param(
    [Parameter(Mandatory)]
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$contents = 'ContainerPS.psd1', 'LICENSE', 'module/bin', 'formats', 'en-US'
foreach ($built in 'module/bin/ContainerPS.dll', 'module/bin/linux-x64/containerps-runtime', 'module/bin/linux-arm64/containerps-runtime', 'en-US/ContainerPS.dll-Help.xml') {
    if (-not (Test-Path ([IO.Path]::Combine($root, $built)))) {
        # A package without the arm64 runtime would load on arm64 and fail at the first container.
        throw "$built is missing from $root`: build the module first (./build.sh build; the arm64 runtime needs clang, gcc-aarch64-linux-gnu and libc6-dev-arm64-cross), or run ./build.sh package."
    }
}

$version = (Import-PowerShellDataFile ([IO.Path]::Combine($root, 'ContainerPS.psd1'))).ModuleVersion
$OutputPath = [IO.Path]::GetFullPath($OutputPath)
$package = [IO.Path]::Combine($OutputPath, "ContainerPS.$version.nupkg")
[void][IO.Directory]::CreateDirectory($OutputPath)
if ([IO.File]::Exists($package)) { [IO.File]::Delete($package) }

# Compress-PSResource packs every file below the folder it is given, and names the package after the manifest in it.
$staging = [IO.Path]::Combine([IO.Path]::GetTempPath(), "cps-package-$([Guid]::NewGuid().ToString('N'))")
$module = [IO.Path]::Combine($staging, 'ContainerPS')
try {
    foreach ($item in $contents) {
        $destination = [IO.Path]::Combine($module, $item)
        [void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($destination))
        Copy-Item ([IO.Path]::Combine($root, $item)) $destination -Recurse
    }
    Compress-PSResource -Path $module -DestinationPath $OutputPath
}
finally {
    Remove-Item $staging -Recurse -Force -ErrorAction Ignore
}
Get-Item $package
