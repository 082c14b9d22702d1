#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates ContainerPS.
.DESCRIPTION
    Runs in pwsh 7.4 or later; ./build.sh starts it in the pwsh that .config/dotnet-tools.json pins when no such pwsh
    is on PATH. `pwsh` must be on PATH: the help file is made, and the tests run, in fresh pwsh processes.
.EXAMPLE
    ./build.ps1 build   # module/bin: ContainerPS.dll, ContainerPS.Core.dll; linux-x64 and linux-arm64: Tmds.LibC.dll, containerps-runtime
    ./build.ps1 test    # xunit (Core, cmdlets) and Pester (tests/pester, examples); ends with "N passed, N failed, N skipped"
    ./build.ps1 demo    # a busybox container showing its isolation
    ./build.ps1 bench   # ContainerPS against crun, runc, util-linux and iproute2; writes bench/results.md
    ./build.ps1 package # out/package/ContainerPS.<version>.nupkg, made by PSResourceGet for Install-PSResource
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
    # Tmds.LibC is built per architecture: each goes to its machine's folder, where ArchitectureAssemblies finds it,
    # and none stays beside ContainerPS.dll, where pwsh would take it on any machine.
    foreach ($rid in 'linux-x64', 'linux-arm64') {
        [void][IO.Directory]::CreateDirectory([IO.Path]::Combine($moduleBin, $rid))
        [IO.File]::Copy((Get-TmdsLibC $rid), [IO.Path]::Combine($moduleBin, $rid, 'Tmds.LibC.dll'), $true)
    }
    [IO.File]::Delete([IO.Path]::Combine($moduleBin, 'Tmds.LibC.dll'))
    # Get-Help reads a binary module's help from MAML in the module base's culture folder (en-US beside the manifest,
    # not module/bin): made from the /// comments, in a fresh process so the assembly it loads is the one just built.
    Say '==> module/New-HelpFile.ps1 -> en-US/ContainerPS.dll-Help.xml'
    & pwsh -NoLogo -NoProfile -NonInteractive -File (Join 'module/New-HelpFile.ps1') -ModuleBin $moduleBin -OutputPath (Join 'en-US/ContainerPS.dll-Help.xml')
    Invoke-Native 'module/New-HelpFile.ps1'
    # The about topic is kept in module/ and goes where Get-Help looks for a module's about_ files: the same folder.
    [IO.File]::Copy((Join 'module/about_ContainerPS.help.txt'), (Join 'en-US/about_ContainerPS.help.txt'), $true)
    Publish-Runtime x64
    # The arm64 runtime is built, not tested (no arm64 machine runs the suite): cross-compiled NativeAOT, linked by
    # clang against Debian's arm64 cross libc.
    $clang = @(Get-Command clang, clang-14 -CommandType Application -ErrorAction Ignore)[0]
    if ($clang -and [IO.File]::Exists('/usr/aarch64-linux-gnu/lib/libc.so.6') -and (Get-Command aarch64-linux-gnu-ld.bfd -ErrorAction Ignore)) {
        Publish-Runtime arm64 "-p:CppCompilerAndLinker=$($clang.Name)" '-p:LinkerFlavor=bfd'
    }
    else {
        Say '==> containerps-runtime for linux-arm64 not built: it needs clang, gcc-aarch64-linux-gnu and libc6-dev-arm64-cross'
    }
}

function Publish-Runtime([string] $architecture) {
    Say "==> dotnet publish containerps-runtime (NativeAOT) -> module/bin/linux-$architecture"
    $out = Join "out/runtime-$architecture"
    & dotnet publish (Join 'src/ContainerPS.Runtime/ContainerPS.Runtime.csproj') -c $Configuration -o $out --nologo -v quiet "-p:RuntimeArchitecture=$architecture" @args
    Invoke-Native "dotnet publish containerps-runtime for linux-$architecture"
    [IO.File]::Copy([IO.Path]::Combine($out, 'containerps-runtime'), [IO.Path]::Combine($moduleBin, "linux-$architecture", 'containerps-runtime'), $true)
}

function Get-TmdsLibC([string] $rid) {
    # The NuGet package holds a build per runtime; the project's restore says where the package is.
    $assets = Get-Content -Raw (Join 'src/ContainerPS/obj/project.assets.json') | ConvertFrom-Json -AsHashtable
    $library = $assets.libraries.Keys | Where-Object { $_ -like 'Tmds.LibC/*' } | Select-Object -First 1
    foreach ($folder in $assets.packageFolders.Keys) {
        $path = [IO.Path]::Combine($folder, $assets.libraries[$library].path, 'runtimes', $rid, 'lib', 'netstandard2.0', 'Tmds.LibC.dll')
        if ([IO.File]::Exists($path)) { return $path }
    }
    throw "Tmds.LibC for $rid is not in the restored $library package."
}

function Join([string] $relative) { [IO.Path]::Combine($root, $relative) }

function Install-Pester {
    # Pester 5.9.1 from NuGet into .build/packages (git-ignored): restoring build/Pester.csproj downloads it.
    $manifest = Join '.build/packages/pester/5.9.1/tools/Pester.psd1'
    if (-not (Test-Path $manifest)) {
        Say '==> dotnet restore build/Pester.csproj (Pester 5.9.1)'
        & dotnet restore (Join 'build/Pester.csproj') --packages (Join '.build/packages') --nologo -v quiet
        Invoke-Native 'dotnet restore build/Pester.csproj'
    }
    Import-Module $manifest -Force
}

function Invoke-Test {
    Install-Prerequisite
    Install-Pester
    Invoke-Build
    $results = Join 'out/test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    foreach ($project in 'tests/ContainerPS.Core.Tests', 'tests/ContainerPS.Cmdlets.Tests') {
        Say "==> dotnet test $project"
        & dotnet test (Join $project) -c $Configuration --nologo --results-directory $results --logger 'trx' --logger 'console;verbosity=normal'
    }
    # The counts come from the TRX files, so the closing line covers every project whatever dotnet test printed.
    $passed = 0; $failed = 0; $skipped = 0
    $reports = @(Get-ChildItem $results -Filter *.trx -ErrorAction Ignore)
    foreach ($trx in $reports) {
        $counters = ([xml](Get-Content -Raw $trx.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $skipped += [int]$counters.notExecuted
    }
    if ($reports.Count -lt 2) { $failed += 2 - $reports.Count; Say 'a test project did not report results (build or test host crash)' }

    # Behaviour of the cmdlets as users script it: tests/pester and the examples' runbook tests.
    Say '==> Invoke-Pester tests/pester examples'
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = (Join 'tests/pester'), (Join 'examples')
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    # Colour codes only on a terminal: a CI log or a file gets plain lines.
    if ([Console]::IsOutputRedirected) { $configuration.Output.RenderMode = 'Plaintext' }
    $pester = Invoke-Pester -Configuration $configuration
    # A failed BeforeAll or a file that does not parse fails no test of its own: count such containers as failures.
    $passed += $pester.PassedCount; $skipped += $pester.SkippedCount
    $failed += $pester.FailedCount + $pester.FailedBlocksCount + $pester.FailedContainersCount

    # The same cgroup v2 file again, inside a guest whose kernel has cgroup v2 only.
    Say '==> cgroup v2 suite in a v2-only guest (build/CgroupV2Guest.ps1)'
    $guest = & (Join 'build/CgroupV2Guest.ps1') -Repo $root
    $passed += $guest.Passed; $failed += $guest.Failed; $skipped += $guest.Skipped

    # The names of what failed, again at the end: a CI log is often read from its tail.
    $failures = @(foreach ($trx in $reports) {
            ([xml](Get-Content -Raw $trx.FullName)).TestRun.Results.UnitTestResult |
                Where-Object outcome -NE 'Passed' | Where-Object outcome -NE 'NotExecuted' | ForEach-Object testName
        }) + @($pester.Failed | ForEach-Object ExpandedPath) + @($pester.FailedBlocks | ForEach-Object ExpandedPath) +
        @($pester.FailedContainers | ForEach-Object Item) + @($guest.FailedNames)
    foreach ($name in $failures | Where-Object { $_ }) { Say "failed: $name" }
    Say "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Install-Prerequisite
    Invoke-Build
    & (Join 'examples/demo.ps1')
}

function Install-BenchPeer {
    # The peers the bench compares with (runc, crun, conmon, podman, util-linux, iproute2; docker-registry, skopeo and umoci
    # for the pull case), from Debian; only what is missing is installed.
    $commands = @{ 'runc' = 'runc'; 'crun' = 'crun'; 'conmon' = 'conmon'; 'podman' = 'podman'; 'util-linux' = 'nsenter', 'unshare'; 'iproute2' = 'ip'
        'docker-registry' = 'docker-registry'; 'skopeo' = 'skopeo'; 'umoci' = 'umoci' }
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
    # The rootless rows copy this pwsh for a user other than root, who cannot read it where the .NET tool keeps it.
    $env:CPS_BENCH_PSHOME = $PSHOME
    & ([IO.Path]::Combine($benchOut, 'ContainerPS.Bench'))
    # A failed case is reported in bench/results.md; the exit code tells the caller too.
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Package {
    # A .nupkg made by PSResourceGet (build/New-ModulePackage.ps1) in out/package: Publish-PSResource -NupkgPath puts it
    # in a gallery or a file-system repository, Install-PSResource installs it from there.
    Invoke-Build
    $package = & (Join 'build/New-ModulePackage.ps1') -OutputPath (Join 'out/package')
    Say "==> $($package.FullName)"
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' { Invoke-Test }
    'demo' { Invoke-Demo }
    'bench' { Invoke-Bench }
    'package' { Invoke-Package }
}
