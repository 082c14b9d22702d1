# Pester 5: OCI bundles in the module (issue 13). New-Container -Bundle runs a bundle's config.json as one of the
# module's containers (our shim, its log, its exit code); Export-ContainerBundle writes a container as a bundle that
# crun, runc and containerps-runtime run. Checked by what the bundle's process prints, its exit code, and the host.
BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
    $script:havePeers = [bool](Get-Command crun -ErrorAction Ignore) -and [bool](Get-Command runc -ErrorAction Ignore)
}

BeforeAll {
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    Import-Module ([IO.Path]::Combine($repo, 'ContainerPS.psd1')) -Force
    $runtime = [IO.Path]::Combine($repo, 'module', 'bin', 'linux-x64', 'containerps-runtime')
    $work = [IO.Directory]::CreateTempSubdirectory('cps-bundles-').FullName
    $tag = "cps-bdl-$PID"
    # What a create could leave: records and names in the store, groups below containerps/, mounts of the bundles.
    function Get-Residue {
        @(Get-ChildItem /run/containerps, /run/containerps/names -ErrorAction Ignore).Name
        @(Get-ChildItem /sys/fs/cgroup/memory/containerps, /sys/fs/cgroup/unified/containerps -Directory -ErrorAction Ignore).FullName
        @(Get-Content /proc/self/mountinfo | Where-Object { $_ -like "*$work*" })
    }
    if ($isRoot) {
        $rootfs = [IO.Path]::Combine($work, 'rootfs')
        New-ContainerRootFs $rootfs -Busybox | Out-Null
    }

    # A bundle whose rootfs is the busybox one, from the runtime's own default config with these args.
    function New-TestBundle([string] $Name, [string[]] $Arguments, [scriptblock] $Edit) {
        $dir = [IO.Path]::Combine($work, $Name)
        New-Item -ItemType Directory $dir | Out-Null
        & $runtime spec --bundle $dir
        $config = Get-Content ([IO.Path]::Combine($dir, 'config.json')) -Raw | ConvertFrom-Json -Depth 50
        $config.process.args = $Arguments
        $config.process.terminal = $false
        $config.root.path = $rootfs
        if ($Edit) { & $Edit $config }
        $config | ConvertTo-Json -Depth 50 | Set-Content ([IO.Path]::Combine($dir, 'config.json'))
        $dir
    }
}

AfterAll {
    Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}

Describe 'New-Container -Bundle' -Skip:(-not $isRoot) {
    It 'runs the config''s process as a module container: output through -Attach, exit code, hostname, cgroupsPath' {
        $bundle = New-TestBundle one @('sh', '-c', 'echo from $(hostname); exit 4') {
            param($c) $c.hostname = 'bundled'; $c.linux | Add-Member cgroupsPath "$tag-group" -Force
        }
        $c = New-Container -Bundle $bundle -Name "$tag-one"

        $c.State | Should -Be 'Created'
        $c.Bundle | Should -Be $bundle
        $c.CgroupPath | Should -Be "containerps/$tag-group"
        # A relative cgroupsPath goes below containerps/; the waiting process is there already.
        Get-Content "/proc/$($c.Pid)/cgroup" | Where-Object { $_ -match ':memory:' } | Should -Match ":memory:/containerps/$tag-group$"
        $out = $c | Start-Container -Attach
        $LASTEXITCODE | Should -Be 4
        $out | Should -Be 'from bundled'
        (Get-Container "$tag-one").ExitCode | Should -Be 4
        Remove-Container "$tag-one"
        Test-Path "/sys/fs/cgroup/memory/containerps/$tag-group" | Should -BeFalse
    }

    It 'refuses what the config says already, a terminal, and a bad bundle, leaving nothing' {
        $before = Get-Residue
        $bundle = New-TestBundle two @('true')
        { New-Container -Bundle $bundle -Hostname x -ErrorAction Stop } | Should -Throw -ErrorId 'BundleParameterConflict,ContainerPS.Commands.NewContainerCommand'
        $tty = New-TestBundle tty @('true') { param($c) $c.process.terminal = $true }
        { New-Container -Bundle $tty -ErrorAction Stop } | Should -Throw '*terminal*'
        $bad = New-TestBundle bad @('true') { param($c) $c.linux.namespaces += [pscustomobject]@{ type = 'foo' } }
        { New-Container -Bundle $bad -ErrorAction Stop } | Should -Throw '*unknown namespace type foo*'
        { New-Container -Bundle ([IO.Path]::Combine($work, 'none')) -ErrorAction Stop } | Should -Throw '*does not exist*'
        @(Get-Residue | Where-Object { $_ -notin $before }) | Should -BeNullOrEmpty
    }
}

Describe 'Export-ContainerBundle' -Skip:(-not $isRoot -or -not $havePeers) {
    It 'writes a bundle that crun, runc and containerps-runtime run: command, environment, hostname, read-only mount' {
        $data = [IO.Path]::Combine($work, 'data')
        New-Item -ItemType Directory $data | Out-Null
        Set-Content ([IO.Path]::Combine($data, 'note')) 'from the host'
        $c = New-Container $rootfs -Name "$tag-exp" -Hostname exported -Environment @{ GREETING = 'hello' } -Mount "${data}:/data:ro" -CapabilityDrop CHOWN -Command sh, -c, 'echo $GREETING $(hostname) $(cat /data/note); touch /data/x 2>/dev/null || echo read-only'
        $bundle = [IO.Path]::Combine($work, 'exported')

        $dir = $c | Export-ContainerBundle -Path $bundle -WarningVariable warned -WarningAction SilentlyContinue
        $dir.FullName | Should -Be $bundle
        $warned | Should -Not -BeNullOrEmpty
        Test-Path ([IO.Path]::Combine($bundle, 'rootfs', 'bin', 'busybox')) | Should -BeTrue
        $config = Get-Content ([IO.Path]::Combine($bundle, 'config.json')) -Raw | ConvertFrom-Json
        $config.process.capabilities.bounding | Should -Not -Contain 'CAP_CHOWN'
        $expected = 'hello exported from the host', 'read-only'

        # crun 1.8 refuses a hybrid cgroup host; without the cgroup2 tree in its mount namespace it runs (PEERS.md).
        # Each peer keeps its state under the test's directory: their default roots (/run/crun, /run/runc) stay behind
        # once made, empty, and a host that had none must be left with none.
        $peerRoot = [IO.Path]::Combine($work, 'peer-state')
        unshare -m sh -c "umount /sys/fs/cgroup/unified && exec crun --root '$peerRoot/crun' run -b '$bundle' $tag-crun" | Should -Be $expected
        $LASTEXITCODE | Should -Be 0
        runc --root "$peerRoot/runc" run -b $bundle "$tag-runc" | Should -Be $expected
        & $runtime --root ([IO.Path]::Combine($work, 'state')) run -b $bundle "$tag-cps" | Should -Be $expected
        Remove-Container $c -Force
    }

    It 'refuses a path that exists, and leaves no partial bundle when the container is gone' {
        $c = New-Container $rootfs -Name "$tag-exp2" -Command true
        { $c | Export-ContainerBundle -Path $work -ErrorAction Stop } | Should -Throw -ErrorId 'BundleTargetExists,ContainerPS.Commands.ExportContainerBundleCommand'
        Remove-Container $c -Force
        { Export-ContainerBundle -Id $c.Id -Path ([IO.Path]::Combine($work, 'gone')) -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotFound,ContainerPS.Commands.ExportContainerBundleCommand'
        @(Get-ChildItem $work -Force | Where-Object Name -Like '.*partial') | Should -BeNullOrEmpty
    }
}
