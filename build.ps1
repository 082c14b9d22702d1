#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates ContainerPS.
.DESCRIPTION
    Runs under pwsh 7.4+ or under the bundled host (./build.sh starts it where pwsh is absent). The bundled host
    has only the engine's Core cmdlets, so this script uses .NET calls where pwsh would offer a Utility cmdlet.
.EXAMPLE
    ./build.ps1 build   # module/bin: ContainerPS.dll, ContainerPS.Core.dll, containerps-runtime (NativeAOT)
    ./build.ps1 test    # xunit Core and cmdlet tests; ends with "N passed, N failed, N skipped"
    ./build.ps1 demo    # a busybox container showing its isolation
    ./build.ps1 bench   # ContainerPS against crun, runc, util-linux and iproute2; writes bench/results.md
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'demo', 'bench', 'package')]
    [string] $Task = 'build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$moduleBin = [IO.Path]::Combine($root, 'module', 'bin')

function Say([string] $text) { [Console]::WriteLine($text) }

function Invoke-Native([string] $what) {
    # Native commands do not throw on failure; stop the build when one fails.
    if ($LASTEXITCODE -ne 0) { throw "$what failed with exit code $LASTEXITCODE" }
}

function Install-Prerequisite {
    # The demo and the tests make busybox root filesystems, and container networks load their NAT rules with nft:
    # install busybox-static and nftables where they are missing.
    $missing = @()
    if (-not [IO.File]::Exists('/bin/busybox')) { $missing += 'busybox-static' }
    if (-not ([IO.File]::Exists('/usr/sbin/nft') -or [IO.File]::Exists('/sbin/nft'))) { $missing += 'nftables' }
    if ($missing.Count -eq 0) { return }
    if ([Environment]::UserName -ne 'root') { throw "$($missing -join ' and ') missing: run as root, or apt-get install $($missing -join ' ') first." }
    Say "==> apt-get install $($missing -join ' ')"
    & apt-get update -qq | Out-Null
    & apt-get install -y -qq @missing | Out-Null
    Invoke-Native "apt-get install $($missing -join ' ')"
}

function Invoke-Build {
    Say "==> dotnet publish ContainerPS ($Configuration) -> module/bin"
    & dotnet publish (Join "src/ContainerPS/ContainerPS.csproj") -c $Configuration -r linux-x64 --self-contained false -o $moduleBin --nologo -v quiet
    Invoke-Native 'dotnet publish ContainerPS'
    # Get-Help reads a binary module's help from MAML in the module base's culture folder (en-US beside the manifest,
    # not module/bin): made from the /// comments, in a fresh process so the assembly it loads is the one just built.
    Say '==> module/New-HelpFile.ps1 -> en-US/ContainerPS.dll-Help.xml'
    & ([Environment]::ProcessPath) -NoLogo -NoProfile -NonInteractive -File (Join 'module/New-HelpFile.ps1') -ModuleBin $moduleBin -OutputPath (Join 'en-US/ContainerPS.dll-Help.xml')
    Invoke-Native 'module/New-HelpFile.ps1'
    Say '==> dotnet publish containerps-runtime (NativeAOT) -> module/bin'
    $runtimeOut = Join "out/runtime"
    & dotnet publish (Join "src/ContainerPS.Runtime/ContainerPS.Runtime.csproj") -c $Configuration -o $runtimeOut --nologo -v quiet
    Invoke-Native 'dotnet publish containerps-runtime'
    [IO.File]::Copy([IO.Path]::Combine($runtimeOut, 'containerps-runtime'), [IO.Path]::Combine($moduleBin, 'containerps-runtime'), $true)
}

function Join([string] $relative) { [IO.Path]::Combine($root, $relative) }

function Invoke-Test {
    Install-Prerequisite
    Invoke-Build
    $results = Join 'out/test-results'
    if ([IO.Directory]::Exists($results)) { [IO.Directory]::Delete($results, $true) }
    foreach ($project in 'tests/ContainerPS.Core.Tests', 'tests/ContainerPS.Cmdlets.Tests') {
        Say "==> dotnet test $project"
        & dotnet test (Join $project) -c $Configuration --nologo --results-directory $results --logger 'trx' --logger 'console;verbosity=normal'
    }
    # The counts come from the TRX files, so the closing line covers every project whatever dotnet test printed.
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in [IO.Directory]::GetFiles($results, '*.trx')) {
        $counters = ([xml][IO.File]::ReadAllText($trx)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $skipped += [int]$counters.notExecuted
    }
    # Pester 5, where it is installed (pwsh with Install-Module Pester): the examples' runbook tests and tests/pester.
    # Without it those scripts still run, as xunit ExampleTests.
    if (Get-Command Invoke-Pester -ErrorAction Ignore) {
        Say '==> Invoke-Pester examples tests/pester'
        $pester = Invoke-Pester -Path (Join 'examples'), (Join 'tests/pester') -PassThru -Output Detailed
        $passed += $pester.PassedCount; $failed += $pester.FailedCount; $skipped += $pester.SkippedCount
    }
    else {
        Say '==> Pester is not installed here: examples/*.Tests.ps1 are covered by the xunit ExampleTests'
    }
    $projects = [IO.Directory]::GetFiles($results, '*.trx').Length
    if ($projects -lt 2) { $failed += 2 - $projects; Say "a test project did not report results (build or host crash)" }
    Say "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Install-Prerequisite
    Invoke-Build
    & (Join 'examples/demo.ps1')
}

function Install-BenchPeer {
    # The peers the bench compares with, from Debian (PEERS.md); only what is missing is installed.
    $commands = @{ 'runc' = 'runc'; 'crun' = 'crun'; 'conmon' = 'conmon'; 'util-linux' = 'nsenter', 'unshare'; 'iproute2' = 'ip' }
    $missing = @($commands.Keys | Where-Object { $commands[$_] | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) } })
    if ($missing.Count -eq 0) { return }
    if ([Environment]::UserName -ne 'root') { throw "The bench needs $($missing -join ', '): run as root." }
    Say "==> apt-get install $($missing -join ' ')"
    & apt-get update -qq | Out-Null
    & apt-get install -y -qq @missing | Out-Null
    Invoke-Native "apt-get install $($missing -join ' ')"
}

function Invoke-Bench {
    Install-Prerequisite
    Install-BenchPeer
    Invoke-Build
    Say '==> dotnet build bench/ContainerPS.Bench -> out/bench'
    $benchOut = Join 'out/bench'
    & dotnet build (Join 'bench/ContainerPS.Bench/ContainerPS.Bench.csproj') -c $Configuration -o $benchOut --nologo -v quiet
    Invoke-Native 'dotnet build bench/ContainerPS.Bench'
    & ([IO.Path]::Combine($benchOut, 'ContainerPS.Bench'))
    # A failed case is reported in bench/results.md; the exit code tells the caller too.
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Package {
    Invoke-Build
    # Import-PowerShellDataFile is a Utility cmdlet, absent from the bundled host: read the one key directly.
    $version = [regex]::Match([IO.File]::ReadAllText((Join 'ContainerPS.psd1')), "ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value
    $target = Join "out/package/ContainerPS/$version"
    if ([IO.Directory]::Exists($target)) { [IO.Directory]::Delete($target, $true) }
    foreach ($dir in 'module/bin', 'formats', 'en-US') {
        $from = Join $dir
        foreach ($file in [IO.Directory]::GetFiles($from, '*', 'AllDirectories')) {
            $to = [IO.Path]::Combine($target, [IO.Path]::GetRelativePath($root, $file))
            [void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($to))
            [IO.File]::Copy($file, $to, $true)
        }
    }
    [IO.File]::Copy((Join 'ContainerPS.psd1'), [IO.Path]::Combine($target, 'ContainerPS.psd1'), $true)
    Say "==> $target"
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' { Invoke-Test }
    'demo' { Invoke-Demo }
    'bench' { Invoke-Bench }
    'package' { Invoke-Package }
}
