# Pester 5: the module's package goes the way a user's gets it: published to a repository, installed with
# Install-PSResource, imported by name in a fresh pwsh, running a container (./build.sh test runs every file here,
# after building the module; this file packs the build, it does not build).
BeforeAll {
    $root = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $unique = [Guid]::NewGuid().ToString('N').Substring(0, 8)
    $work = [IO.Path]::Combine([IO.Path]::GetTempPath(), "cps-package-test-$unique")
    $repositoryName = "cps-package-$unique"
    $repositoryPath = [IO.Path]::Combine($work, 'repository')
    [void][IO.Directory]::CreateDirectory($repositoryPath)

    $package = & ([IO.Path]::Combine($root, 'build', 'New-ModulePackage.ps1')) -OutputPath ([IO.Path]::Combine($work, 'package'))
    Register-PSResourceRepository -Name $repositoryName -Uri $repositoryPath -Trusted
    Publish-PSResource -NupkgPath $package.FullName -Repository $repositoryName

    # Install-PSResource -Scope CurrentUser installs below $HOME/.local/share/powershell/Modules: a home of the test's
    # own keeps the user's module folder out of it.
    $userHome = $env:HOME
    $env:HOME = [IO.Path]::Combine($work, 'home')
    try {
        $installed = Install-PSResource ContainerPS -Repository $repositoryName -TrustRepository -Scope CurrentUser -PassThru
    }
    finally {
        $env:HOME = $userHome
    }
    $moduleBase = [IO.Path]::Combine($installed.InstalledLocation, 'ContainerPS', $installed.Version.ToString())
}

AfterAll {
    Unregister-PSResourceRepository -Name $repositoryName -ErrorAction Ignore
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}

Describe 'The ContainerPS package' {
    It 'is made by PSResourceGet and holds the manifest, the binaries, the formats, the help and the licence' {
        $package.Name | Should -Be "ContainerPS.$((Import-PowerShellDataFile ([IO.Path]::Combine($root, 'ContainerPS.psd1'))).ModuleVersion).nupkg"
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($package.FullName)
        try { $entries = $zip.Entries.FullName } finally { $zip.Dispose() }
        foreach ($file in 'ContainerPS.nuspec', 'ContainerPS.psd1', 'LICENSE', 'module/bin/ContainerPS.dll', 'module/bin/ContainerPS.Core.dll',
            'module/bin/linux-x64/Tmds.LibC.dll', 'module/bin/linux-x64/containerps-runtime', 'module/bin/linux-arm64/Tmds.LibC.dll',
            'formats/ContainerPS.format.ps1xml', 'en-US/ContainerPS.dll-Help.xml') {
            $entries | Should -Contain $file
        }
        $entries | Should -Not -Contain 'module/bin/Tmds.LibC.dll' -Because 'pwsh would load it on any machine, arm64 too'
        $entries | Where-Object { $_ -like 'src/*' -or $_ -like 'tests/*' -or $_ -like 'build/*' } | Should -BeNullOrEmpty
    }

    It 'is found in the repository and installs into the module path of the user''s scope' {
        (Find-PSResource ContainerPS -Repository $repositoryName).Version | Should -Be $installed.Version
        $installed.InstalledLocation | Should -Be ([IO.Path]::Combine($work, 'home', '.local', 'share', 'powershell', 'Modules'))
        Test-Path ([IO.Path]::Combine($moduleBase, 'ContainerPS.psd1')) | Should -BeTrue
        Test-Path ([IO.Path]::Combine($moduleBase, 'en-US', 'ContainerPS.dll-Help.xml')) | Should -BeTrue
    }

    It 'imports by name in a fresh pwsh and runs a container that leaves nothing behind' {
        if ([Environment]::UserName -ne 'root') { Set-ItResult -Skipped -Because 'needs root: it runs a container' }
        $name = "cps-package-$unique"
        $rootfsPath = [IO.Path]::Combine($work, 'rootfs')
        $script = [IO.Path]::Combine($work, 'run.ps1')
        Set-Content $script @'
param($RootFsPath, $Name)
$ErrorActionPreference = 'Stop'
Import-Module ContainerPS
"base $((Get-Module ContainerPS).ModuleBase)"
New-ContainerRootFs $RootFsPath -Busybox | New-Container -Name $Name -Command echo, hi -OutVariable created | Start-Container -Attach -Remove
"id $($created.Id)"
'@
        $modulePath = $env:PSModulePath
        $env:PSModulePath = $installed.InstalledLocation
        try {
            $output = & pwsh -NoLogo -NoProfile -NonInteractive -File $script -RootFsPath $rootfsPath -Name $name 2>&1 | ForEach-Object { "$_" }
        }
        finally {
            $env:PSModulePath = $modulePath
        }
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Contain "base $moduleBase"
        $output | Should -Contain 'hi'
        $id = ($output | Where-Object { $_ -like 'id *' }) -replace '^id '
        $id | Should -Match '^[0-9a-f]{64}$'

        # Installed without its execute bit (a NuGet package keeps no file modes), the shim was made executable.
        (Get-Item ([IO.Path]::Combine($moduleBase, 'module', 'bin', 'linux-x64', 'containerps-runtime'))).UnixMode | Should -Match '^-rwx'
        Test-Path "/run/containerps/$id" | Should -BeFalse
        Get-Item "/sys/fs/cgroup/containerps/$id", "/sys/fs/cgroup/*/containerps/$id" -ErrorAction Ignore | Should -BeNullOrEmpty
        # No process of the installed module is left: not the container's shim (its command line names the id), nor
        # the spare its session kept, which ends with that session.
        $runtime = [IO.Path]::Combine($moduleBase, 'module', 'bin', 'linux-x64', 'containerps-runtime')
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        do {
            $left = @(Get-Process | Where-Object { $_.Path -eq $runtime -or $_.CommandLine -match $id })
            if ($left.Count -eq 0) { break }
            Start-Sleep -Milliseconds 100
        } while ([DateTime]::UtcNow -lt $deadline)
        $left | Should -BeNullOrEmpty
    }
}
