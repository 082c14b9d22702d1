# Pester 5: the module run by a user other than root (issue 18). The test makes a system user and a copy of this pwsh
# that user can read (the PowerShell tool lives under /root), runs the module as that user through setpriv, and looks
# from the host as root: the container's root is the user, its files are the user's, and nothing is left.
BeforeDiscovery {
    $isRoot = (id -u) -eq '0'
}

Describe 'ContainerPS run by a user other than root' -Skip:(-not $isRoot) {
    BeforeAll {
        $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
        $user = "cps-rl-$([Guid]::NewGuid().ToString('N').Substring(0, 8))"
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin $user
        $uid = [int](id -u $user)
        $work = [IO.Path]::Combine([IO.Path]::GetTempPath(), $user)
        $runtimeDir = [IO.Path]::Combine($work, 'run')
        $userHome = [IO.Path]::Combine($work, 'home')
        New-Item -ItemType Directory $runtimeDir, $userHome | Out-Null
        Copy-Item $PSHOME ([IO.Path]::Combine($work, 'pwsh')) -Recurse
        chmod 0755 $work
        chown "${user}:$user" $runtimeDir $userHome
        chmod 0700 $runtimeDir

        # Runs a script as the user in a fresh pwsh with the module imported; returns its output lines and exit code.
        function Invoke-AsUser([string] $Script, [switch] $WithoutRuntimeDir) {
            $file = [IO.Path]::Combine($work, "script-$([Guid]::NewGuid().ToString('N')).ps1")
            Set-Content $file "`$ErrorActionPreference = 'Stop'`nImport-Module '$repo/ContainerPS.psd1'`n$Script"
            chmod 0644 $file
            $environment = @("HOME=$userHome", 'PATH=/usr/bin:/bin:/usr/sbin:/sbin', 'TERM=dumb', 'POWERSHELL_TELEMETRY_OPTOUT=1', 'POWERSHELL_UPDATECHECK=Off')
            if (-not $WithoutRuntimeDir) { $environment += "XDG_RUNTIME_DIR=$runtimeDir" }
            $output = & setpriv --reuid=$user --regid=$user --clear-groups env -i @environment dotnet ([IO.Path]::Combine($work, 'pwsh', 'pwsh.dll')) -NoProfile -NonInteractive -File $file 2>&1
            [pscustomobject]@{ Output = @($output | ForEach-Object { "$_" }); ExitCode = $LASTEXITCODE }
        }

        # The user's processes that are still alive (zombies left aside: this machine's init does not reap them), once
        # what is ending has had a moment to end; as "pid stat args" lines, so a failure shows what they are.
        function Get-UserProcess {
            $deadline = [DateTime]::UtcNow.AddSeconds(5)
            do {
                $alive = @(ps -u $uid -o pid=,stat=,args= | Where-Object { ($_.Trim() -split '\s+')[1] -notlike 'Z*' })
                if ($alive.Count -eq 0) { return }
                Start-Sleep -Milliseconds 100
            } while ([DateTime]::UtcNow -lt $deadline)
            $alive
        }

        $rootfs = [IO.Path]::Combine($userHome, 'rootfs')
        $made = Invoke-AsUser "New-ContainerRootFs -Path '$rootfs' -Busybox | Out-Null"
    }

    AfterAll {
        pkill -KILL -u $user 2>$null
        Start-Sleep -Milliseconds 200
        userdel $user 2>$null
        Remove-Item $work -Recurse -Force -ErrorAction Ignore
    }

    It 'makes a rootfs of its own with New-ContainerRootFs' {
        $made.ExitCode | Should -Be 0 -Because ($made.Output -join "`n")
        (Get-Item ([IO.Path]::Combine($rootfs, 'bin', 'busybox'))).User | Should -Be $user
    }

    It 'runs a container whose root is the user on the host, stops and removes it, and leaves nothing' {
        $run = Invoke-AsUser @"
`$c = New-Container -RootFs '$rootfs' -Name cps-rl-sleeper -Command sleep, 600 -WarningAction SilentlyContinue | Start-Container
"pid `$(`$c.Pid)"
"map `$((Get-Container cps-rl-sleeper).UidMap -join ',')"
New-Container -RootFs '$rootfs' -Name cps-rl-id -Command sh, -c, 'id -u; cat /proc/self/uid_map' -WarningAction SilentlyContinue | Start-Container -Attach
Remove-Container cps-rl-id
"state `$((Get-Container cps-rl-sleeper).State)"
"@
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $containerPid = [int](($run.Output | Where-Object { $_ -like 'pid *' }) -replace '^pid ')
        # From the host: the container's process is the user's, and its own view of itself is root.
        (Get-Content "/proc/$containerPid/status" | Where-Object { $_ -like 'Uid:*' }) -split '\s+' | Select-Object -Index 1 | Should -Be "$uid"
        $run.Output | Should -Contain "map 0:${uid}:1"
        $run.Output | Should -Contain '0'
        ($run.Output | Where-Object { $_ -match "^\s*0\s+$uid\s+1\s*$" }) | Should -Not -BeNullOrEmpty
        $run.Output | Should -Contain 'state Running'

        $stop = Invoke-AsUser "Stop-Container cps-rl-sleeper -Timeout 1 -PassThru | Remove-Container; @(Get-Container).Count"
        $stop.ExitCode | Should -Be 0 -Because ($stop.Output -join "`n")
        $stop.Output[-1] | Should -Be '0'
        Test-Path "/proc/$containerPid" | Should -BeFalse
        @(Get-ChildItem ([IO.Path]::Combine($runtimeDir, 'containerps')) -Exclude names, '*.lock') | Should -BeNullOrEmpty
        @(Get-ChildItem ([IO.Path]::Combine($runtimeDir, 'containerps', 'names')) -ErrorAction Ignore) | Should -BeNullOrEmpty
        Get-UserProcess | Should -BeNullOrEmpty
        @(Get-Content /proc/self/mountinfo | Where-Object { $_ -like "*$work*" }) | Should -BeNullOrEmpty
    }

    It 'leaves what the container writes in a bind mount to the user, and a root-owned file there read-only' {
        $shared = [IO.Path]::Combine($work, 'shared')
        New-Item -ItemType Directory $shared | Out-Null
        chown "${user}:$user" $shared
        Set-Content ([IO.Path]::Combine($shared, 'roots-file')) 'root owns this'
        $run = Invoke-AsUser @"
New-Container -RootFs '$rootfs' -Name cps-rl-writer -Mount '${shared}:/shared' -Command sh, -c, 'touch /shared/made; echo x >> /shared/roots-file || echo refused' -WarningAction SilentlyContinue | Start-Container -Attach
Remove-Container cps-rl-writer
"@
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        (Get-Item ([IO.Path]::Combine($shared, 'made'))).User | Should -Be $user
        $run.Output | Should -Contain 'refused'
        Get-Content ([IO.Path]::Combine($shared, 'roots-file')) | Should -Be 'root owns this'
    }

    It 'says once that its containers run without a cgroup, and why' {
        $run = Invoke-AsUser @"
New-Container -RootFs '$rootfs' -Name cps-rl-w1 -Command true 3>&1 | ForEach-Object { "out: `$_" }
New-Container -RootFs '$rootfs' -Name cps-rl-w2 -Command true 3>&1 | ForEach-Object { "out: `$_" }
Remove-Container cps-rl-w1, cps-rl-w2 -Force
"@
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $warnings = @($run.Output | Where-Object { $_ -like '*run without a cgroup*' })
        $warnings.Count | Should -Be 1
        $warnings[0] | Should -Match "uid $uid run without a cgroup.*makes cgroups only as root"
    }

    It 'refuses <What> naming the privilege it needs, and leaves nothing' -ForEach @(
        @{ What = 'a container network'; Command = "New-ContainerNetwork -Name cps-rl-net -Subnet 10.250.9.0/24"; Expected = 'CAP_NET_ADMIN' }
        @{ What = 'a memory limit'; Command = "New-Container -RootFs '{0}' -Name cps-rl-lim -Memory 64MB"; Expected = 'a cgroup, which ContainerPS makes only as root' }
        @{ What = "the host's network"; Command = "New-Container -RootFs '{0}' -Name cps-rl-host -Network host"; Expected = 'needs root' }
        @{ What = 'a cgroup'; Command = 'New-Cgroup -Name cps-rl-group'; Expected = 'needs write access to' }
        @{ What = 'a veth pair'; Command = 'New-VethPair -Name cps-rlv0 -PeerName cps-rlv1'; Expected = 'CAP_NET_ADMIN over the network namespace' }
        @{ What = 'a container without a pid namespace'; Command = "New-Container -RootFs '{0}' -Name cps-rl-nopid -Namespace Mnt, Uts"; Expected = 'needs a pid namespace of its own' }
        @{ What = 'a kept namespace'; Command = 'New-Namespace -Name cps-rl-ns -Kind Net'; Expected = 'needs root \(CAP_SYS_ADMIN' }
    ) {
        $run = Invoke-AsUser "try { $($Command -f $rootfs) } catch { 'error: ' + `$_.Exception.Message }; 'left: ' + @(Get-Container).Count"
        $refusal = $run.Output | Where-Object { $_ -like 'error: *' }
        $refusal | Should -Match $Expected
        $refusal | Should -Match "uid $uid"
        $run.Output | Should -Contain 'left: 0'
        Test-Path /sys/fs/cgroup/memory/containerps/cps-rl-group | Should -BeFalse
    }

    It 'runs commands in its container, inside its namespaces as root there' {
        $run = Invoke-AsUser @"
`$c = New-Container -RootFs '$rootfs' -Name cps-rl-exec -Hostname inside -Command sleep, 600 -WarningAction SilentlyContinue | Start-Container
"initns `$(readlink /proc/`$(`$c.Pid)/ns/pid)"
Invoke-ContainerCommand cps-rl-exec -Command sh, -c, 'id -u; hostname; echo `$`$; readlink /proc/1/ns/pid' | ForEach-Object { "exec: `$_" }
"exit `$LASTEXITCODE"
Invoke-ContainerCommand cps-rl-exec -Command sh, -c, 'exit 7' -ErrorAction SilentlyContinue
"exit `$LASTEXITCODE"
Remove-Container cps-rl-exec -Force
"@
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $initNamespace = ($run.Output | Where-Object { $_ -like 'initns *' }) -replace '^initns '
        $exec = @($run.Output | Where-Object { $_ -like 'exec: *' } | ForEach-Object { $_ -replace '^exec: ' })
        $exec[0] | Should -Be '0'
        $exec[1] | Should -Be 'inside'
        [int]$exec[2] | Should -BeGreaterThan 1 -Because 'the command is in the pid namespace, beside its pid 1'
        $exec[3] | Should -BeLike 'pid:*'
        $exec[3] | Should -Be $initNamespace -Because "the command sees the container's pid 1 in its own namespace"
        $run.Output | Should -Contain 'exit 0'
        $run.Output | Should -Contain 'exit 7'
        Get-UserProcess | Should -BeNullOrEmpty
    }

    Context 'with slirp4netns installed and /dev/net/tun open to users' -Skip:(-not (Get-Command slirp4netns -CommandType Application -ErrorAction Ignore)) {
        BeforeAll {
            # slirp4netns opens /dev/net/tun as the user: distributions ship it 0666, this machine keeps it 0600.
            $tunMode = stat -c '%a' /dev/net/tun
            chmod 0666 /dev/net/tun
        }

        AfterAll {
            chmod $tunMode /dev/net/tun
        }

        It 'serves from its container on a port published through slirp4netns, and takes slirp4netns away with it' {
            $port = Get-Random -Minimum 20000 -Maximum 30000
            $run = Invoke-AsUser @"
New-Container -RootFs '$rootfs' -Name cps-rl-web -Network slirp4netns -Publish '${port}:8080' -WarningAction SilentlyContinue -Command sh, -c, 'mkdir -p /www && echo served-rootless > /www/index.html && exec httpd -f -p 8080 -h /www' | Start-Container | Out-Null
Invoke-ContainerCommand cps-rl-web -Command ip, -4, -o, addr, show, tap0
Invoke-ContainerCommand cps-rl-web -Command cat, /etc/resolv.conf
"@
            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $run.Output -join ' ' | Should -Match 'inet 10\.0\.2\.100/24'
            $run.Output | Should -Contain 'nameserver 10.0.2.3' -Because "slirp4netns's DNS forwarder answers for the host's resolvers, loopback ones too"
            $page = $null
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not $page -and [DateTime]::UtcNow -lt $deadline) {
                try { $page = (Invoke-WebRequest "http://127.0.0.1:$port/" -TimeoutSec 2).Content } catch { Start-Sleep -Milliseconds 200 }
            }
            $page | Should -Match 'served-rootless'
            @(Get-UserProcess | Where-Object { $_ -match 'slirp4netns' }).Count | Should -Be 1

            $removed = Invoke-AsUser 'Remove-Container cps-rl-web -Force'
            $removed.ExitCode | Should -Be 0 -Because ($removed.Output -join "`n")
            Get-UserProcess | Should -BeNullOrEmpty
            { Invoke-WebRequest "http://127.0.0.1:$port/" -TimeoutSec 2 } | Should -Throw
        }
    }

    It 'says what slirp4netns lacks when the user may not open /dev/net/tun' -Skip:(-not (Get-Command slirp4netns -CommandType Application -ErrorAction Ignore)) {
        $tunMode = stat -c '%a' /dev/net/tun
        chmod 0600 /dev/net/tun
        try {
            $run = Invoke-AsUser "try { New-Container -RootFs '$rootfs' -Name cps-rl-tun -Network slirp4netns } catch { 'error: ' + `$_.FullyQualifiedErrorId + ' ' + `$_.Exception.Message }; 'left: ' + @(Get-Container).Count"
        }
        finally {
            chmod $tunMode /dev/net/tun
        }
        $run.Output | Where-Object { $_ -like 'error: *' } | Should -Match "TunDeviceDenied.*/dev/net/tun readable and writable by uid $uid, and it is mode 600"
        $run.Output | Should -Contain 'left: 0'
    }

    Context 'with uidmap installed and subordinate ids for the user' -Skip:(-not (Get-Command newuidmap -CommandType Application -ErrorAction Ignore)) {
        BeforeAll {
            # The user's ranges, added for this context and taken out after (the files may hold others' lines).
            $saved = @{}
            foreach ($file in '/etc/subuid', '/etc/subgid') {
                $saved[$file] = if (Test-Path $file) { Get-Content -Raw $file } else { $null }
                Add-Content $file "${user}:300000:65536"
            }
        }

        AfterAll {
            foreach ($file in '/etc/subuid', '/etc/subgid') {
                if ($null -eq $saved[$file]) { Remove-Item $file -ErrorAction Ignore } else { Set-Content $file $saved[$file] -NoNewline }
            }
        }

        It 'maps ids 1 and up to them through newuidmap, so a file given to uid 1000 inside is 300999 outside' {
            $shared = [IO.Path]::Combine($work, 'shared-ids')
            New-Item -ItemType Directory $shared | Out-Null
            chown "${user}:$user" $shared
            $run = Invoke-AsUser @"
`$c = New-Container -RootFs '$rootfs' -Name cps-rl-ids -Mount '${shared}:/shared' -Command sh, -c, 'cat /proc/self/uid_map /proc/self/gid_map; touch /shared/given; chown 1000:1000 /shared/given' -WarningAction SilentlyContinue
"map `$(`$c.UidMap -join ',')"
`$c | Start-Container -Attach
Remove-Container cps-rl-ids
"@
            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $run.Output | Should -Contain "map 0:${uid}:1,1:300000:65536"
            @($run.Output | Where-Object { $_ -match '^\s*1\s+300000\s+65536\s*$' }).Count | Should -Be 2 -Because 'uid_map and gid_map'
            stat -c '%u:%g' ([IO.Path]::Combine($shared, 'given')) | Should -Be '300999:300999'
        }
    }

    It 'without XDG_RUNTIME_DIR says where its containers would be kept' {
        $run = Invoke-AsUser "try { Get-Container } catch { 'error: ' + `$_.Exception.Message }" -WithoutRuntimeDir
        $run.Output | Where-Object { $_ -like 'error: *' } | Should -Match 'XDG_RUNTIME_DIR is not set'
    }
}
