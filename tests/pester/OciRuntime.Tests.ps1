# Pester 5: containerps-runtime as an OCI runtime, driven by its runc command line alone (no engine): bundles made by
# `runc spec` (or its own `spec`) over a busybox rootfs, run, created, started, exec'd into, paused, killed and deleted
# under a --root of this file's own. What each test checks is seen from outside: exit codes and output, the pid file,
# /proc/PID (cmdline, namespaces, cgroup, limits), the cgroup files of every hierarchy, /proc/self/mountinfo, the
# state directory, what hooks on the host were given on stdin; the state JSON is held to the runtime spec's schema
# (schema/state-schema.json). A bad bundle must fail with exit code 1 and a runc-style error, and leave nothing.
BeforeDiscovery {
    # Containers, their cgroups and mounts need root; runc (for `runc spec`) and busybox-static make the bundles.
    $script:isRoot = (id -u) -eq '0'
    $script:haveTools = [bool](Get-Command runc -CommandType Application -ErrorAction Ignore) -and (Test-Path /bin/busybox)
    if (-not $isRoot) { Write-Host 'OciRuntime.Tests.ps1: skipped, containers need root' }
    elseif (-not $haveTools) { Write-Host 'OciRuntime.Tests.ps1: skipped, runc and busybox-static (/bin/busybox) are not installed' }
}

BeforeAll {
    # Get-CgroupRoots, Get-FreezerState, Remove-CgroupTree, Remove-EngineDir: the engine tests' cleanup helpers.
    . ([IO.Path]::Combine($PSScriptRoot, 'EngineHarness.ps1'))
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $runtime = [IO.Path]::Combine($repo, 'module', 'bin', 'linux-x64', 'containerps-runtime')
    $schema = [IO.File]::ReadAllText([IO.Path]::Combine($PSScriptRoot, 'schema', 'state-schema.json'))
    $work = $null
    $script:ids = [Collections.Generic.List[string]]::new()        # every id given to create/run, deleted in AfterAll
    $script:cgroupNames = [Collections.Generic.List[string]]::new() # every container cgroup seen, removed in AfterAll
    $script:calls = 0
    if ((id -u) -eq '0' -and (Get-Command runc -CommandType Application -ErrorAction Ignore) -and (Test-Path /bin/busybox)) {
        $work = [IO.Directory]::CreateTempSubdirectory('cps-oci-').FullName
        $root = [IO.Path]::Combine($work, 'root') # this file's own state store
        # The rootfs every bundle copies: busybox-static with its applet links, and empty proc, sys, dev, tmp, etc.
        $rootfsTemplate = [IO.Path]::Combine($work, 'rootfs')
        foreach ($d in 'bin', 'proc', 'sys', 'dev', 'tmp', 'etc') { $null = [IO.Directory]::CreateDirectory([IO.Path]::Combine($rootfsTemplate, $d)) }
        Copy-Item /bin/busybox ([IO.Path]::Combine($rootfsTemplate, 'bin', 'busybox'))
        foreach ($applet in (/bin/busybox --list)) {
            if ($applet -ne 'busybox') { $null = [IO.File]::CreateSymbolicLink([IO.Path]::Combine($rootfsTemplate, 'bin', $applet), 'busybox') }
        }
        $specDir = [IO.Directory]::CreateDirectory([IO.Path]::Combine($work, 'runc-spec')).FullName
        runc spec --bundle $specDir
        if ($LASTEXITCODE) { throw "runc spec failed (exit $LASTEXITCODE)" }
        $runcSpec = [IO.File]::ReadAllText([IO.Path]::Combine($specDir, 'config.json'))
    }

    # Runs the runtime under test with this file's --root, its stdin /dev/null and its stdout and stderr in files, not
    # pipes: a container made by create or run -d keeps the runtime's stdio as its own, and a pipe it holds would
    # keep us waiting for an EOF. Returns ExitCode ($null when killed at the deadline), Out, Err and Text (for -Because).
    function Invoke-Runtime {
        param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
        $n = ++$script:calls
        $out = [IO.Path]::Combine($work, "call-$n.out"); $err = [IO.Path]::Combine($work, "call-$n.err")
        $start = [Diagnostics.ProcessStartInfo]::new('/bin/sh')
        foreach ($a in @('-c', 'o=$1 e=$2; shift 2; exec "$@" </dev/null >"$o" 2>"$e"', 'sh', $out, $err, $runtime, '--root', $root) + $Arguments) {
            $start.ArgumentList.Add($a)
        }
        $start.UseShellExecute = $false
        $p = [Diagnostics.Process]::Start($start)
        $code = if ($p.WaitForExit(15000)) { $p.ExitCode } else { try { $p.Kill() } catch { }; $null }
        $p.Dispose()
        $o = if (Test-Path $out) { [IO.File]::ReadAllText($out).TrimEnd() } else { '' }
        $e = if (Test-Path $err) { [IO.File]::ReadAllText($err).TrimEnd() } else { '' }
        $story = if ($null -eq $code) { 'timed out after 15 s and was killed' } else { "exit code $code" }
        [pscustomobject]@{
            ExitCode = $code; Out = $o; Err = $e
            Text = "containerps-runtime --root $root $($Arguments -join ' ')`n  -> $story`n  stdout: $o`n  stderr: $e"
        }
    }

    # A bundle in $work/bundles/<Name>: its own copy of the rootfs and `runc spec`'s config.json (terminal false, the
    # args given, the hostname cps-oci-host), edited further by -Edit, which gets the config as ordered hashtables.
    function New-Bundle {
        param([string] $Name, [string[]] $Arguments, [scriptblock] $Edit)
        $bundle = [IO.Path]::Combine($work, 'bundles', $Name)
        $null = [IO.Directory]::CreateDirectory($bundle)
        cp -a $rootfsTemplate ([IO.Path]::Combine($bundle, 'rootfs'))
        $config = $runcSpec | ConvertFrom-Json -AsHashtable
        $config.process.terminal = $false
        $config.process.args = $Arguments
        $config.hostname = 'cps-oci-host'
        if ($Edit) { & $Edit $config $bundle }
        Set-Content ([IO.Path]::Combine($bundle, 'config.json')) ($config | ConvertTo-Json -Depth 20)
        $bundle
    }

    # A hook script on the host: #!/bin/sh and the body, executable.
    function New-HookScript([string] $Path, [string] $Body) {
        [IO.File]::WriteAllText($Path, "#!/bin/sh`n$Body`n")
        chmod 755 $Path
        $Path
    }

    function Read-State([string] $Id) {
        $r = Invoke-Runtime state $Id
        if ($r.ExitCode -ne 0) { throw "state $Id failed: $($r.Text)" }
        $r.Out | ConvertFrom-Json
    }

    function Wait-State([string] $Id, [string] $Status) {
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while (($s = (Read-State $Id).status) -ne $Status -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $s
    }

    # The host directories of a container's own cgroups, from lines of /proc/PID/cgroup (hierarchy:controllers:path):
    # those below /containerps/ or /cps-oci-; each name is also kept for AfterAll, which removes them.
    function Get-CgroupDirs([string[]] $Lines) {
        foreach ($line in $Lines) {
            $null, $controllers, $path = $line -split ':', 3
            if ($path -notmatch '^/(containerps/|cps-oci-)') { continue }
            $base = if ($controllers -eq '') { if (Test-Path /sys/fs/cgroup/unified) { '/sys/fs/cgroup/unified' } else { '/sys/fs/cgroup' } }
            elseif ($controllers.StartsWith('name=')) { "/sys/fs/cgroup/$($controllers.Substring(5))" }
            else { "/sys/fs/cgroup/$controllers" }
            if (-not $script:cgroupNames.Contains($path)) { $script:cgroupNames.Add($path) }
            "$base$path"
        }
    }

    # The groups below containerps/ in every hierarchy: the runtime's default place for a container's cgroup.
    function Get-DefaultCgroups { @(Get-CgroupRoots | ForEach-Object { Get-ChildItem ([IO.Path]::Combine($_, 'containerps')) -Directory -ErrorAction Ignore } | ForEach-Object FullName) }

    # The groups below containerps/ that were not there in $Before and are left over: with a process naming one of
    # $Texts, or empty and still there half a second later. Other tests may run containers meanwhile (with the
    # module's default root): theirs have their process in them, or go when it ends.
    function Get-LeftoverCgroups([string[]] $Before, [string[]] $Texts) {
        $candidates = { @(Get-DefaultCgroups | Where-Object { $_ -notin $Before }) }
        $procs = { param($dir) @(Get-Content ([IO.Path]::Combine($dir, 'cgroup.procs')) -ErrorAction Ignore) }
        $mine = @(foreach ($dir in & $candidates) {
                foreach ($p in & $procs $dir) {
                    $cmd = try { [IO.File]::ReadAllText("/proc/$p/cmdline").Replace("`0", ' ') } catch { '' }
                    if ($Texts | Where-Object { $cmd.Contains($_) }) { "$dir (process $p`: $cmd)"; break }
                }
            })
        $empty = @(& $candidates | Where-Object { -not (& $procs $_) })
        if ($empty) {
            Start-Sleep -Milliseconds 500
            $empty = @($empty | Where-Object { [IO.Directory]::Exists($_) -and -not (& $procs $_) })
        }
        @($mine) + @($empty)
    }

    function Get-MountsNaming([string] $Text) { @(Get-Content /proc/self/mountinfo | Where-Object { $_.Contains($Text) }) }

    # "pid: command line" of every process whose command line holds one of $Texts (the runtime's clone still waiting
    # to exec has the runtime's command line: the id and -b BUNDLE).
    function Get-ProcessesNaming([string[]] $Texts) {
        foreach ($p in [IO.Directory]::GetDirectories('/proc')) {
            $id = [IO.Path]::GetFileName($p)
            if ($id -notmatch '^\d+$' -or [int]$id -eq $PID) { continue }
            try { $cmd = [IO.File]::ReadAllText("$p/cmdline").Replace("`0", ' ') } catch { continue }
            foreach ($t in $Texts) { if ($cmd.Contains($t)) { "${id}: $cmd"; break } }
        }
    }

    # What is in the store: the records (state directories, and anything else beside names/) and the ids reserved in names/.
    function Get-Records { @(Get-ChildItem $root -Force -ErrorAction Ignore | Where-Object Name -ne 'names' | ForEach-Object Name) }
    function Get-ReservedIds { @(Get-ChildItem ([IO.Path]::Combine($root, 'names')) -Force -ErrorAction Ignore | ForEach-Object Name) }
}

AfterAll {
    if ($work) {
        foreach ($id in $script:ids) { $null = Invoke-Runtime delete --force $id }
        foreach ($name in $script:cgroupNames) { Remove-CgroupTree $name -Kill }
        Remove-CgroupTree "cps-oci-test-$PID" -Kill
        Remove-CgroupTree "cps-oci-$PID" -Kill
        foreach ($left in Get-ProcessesNaming $work) { Write-Warning "killing $left"; Stop-Process -Id ([int]($left -split ':')[0]) -Force -ErrorAction Ignore }
        Remove-EngineDir $work
    }
}

Describe 'run: a runc spec bundle in the foreground' -Skip:(-not $isRoot -or -not $haveTools) {
    It 'passes on stdout and the exit code 3, has the config''s hostname, and leaves no record, cgroup, mount or process' {
        $id = 'cps-run'; $script:ids.Add($id)
        $bundle = New-Bundle run -Arguments sh, -c, 'echo hello-from-run; hostname; cat /proc/self/cgroup; exit 3'

        $r = Invoke-Runtime run -b $bundle $id

        $r.ExitCode | Should -Be 3 -Because $r.Text
        $lines = $r.Out -split "`n"
        $lines[0] | Should -Be 'hello-from-run' -Because $r.Text
        $lines[1] | Should -Be 'cps-oci-host' -Because "hostname inside must be config.json's`n$($r.Text)"
        $cgroups = @(Get-CgroupDirs ($lines | Select-Object -Skip 2))
        $cgroups | Should -Not -BeNullOrEmpty -Because "the container ran in a group of its own`n$($r.Text)"
        $lines | Select-Object -Skip 2 | Where-Object { $_ -notmatch ':/$' -and $_ -notmatch ':/containerps/[0-9a-f]{64}$' } |
            Should -BeNullOrEmpty -Because "every hierarchy the container is placed in holds it in containerps/ID`n$($r.Text)"
        # Nothing left: no record or reserved id, no cgroup, no mount, no process.
        $list = Invoke-Runtime list -q
        $list.ExitCode | Should -Be 0 -Because $list.Text
        $list.Out | Should -BeNullOrEmpty -Because $list.Text
        Get-Records | Should -BeNullOrEmpty
        Get-ReservedIds | Should -BeNullOrEmpty
        $cgroups | Where-Object { Test-Path $_ } | Should -BeNullOrEmpty
        Get-MountsNaming $bundle | Should -BeNullOrEmpty
        Get-ProcessesNaming $id, $bundle | Should -BeNullOrEmpty
    }
}

Describe 'the lifecycle: create, start, exec, ps, pause, resume, kill, delete' -Skip:(-not $isRoot -or -not $haveTools) {
    BeforeAll {
        $id = 'cps-life'; $script:ids.Add($id)
        $bundle = New-Bundle life -Arguments sleep, 1000
        $pidFile = [IO.Path]::Combine($work, 'life.pid')
        $seen = @{} # what one test saw, for the next ones
    }

    It 'create: the pid file names a process that waits in new namespaces and its own cgroup; state says created with that pid' {
        $r = Invoke-Runtime create --bundle $bundle --pid-file $pidFile $id

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $seen.Pid = [int][IO.File]::ReadAllText($pidFile)
        Test-Path "/proc/$($seen.Pid)" | Should -BeTrue
        [IO.File]::ReadAllText("/proc/$($seen.Pid)/cmdline") | Should -Not -Match '^sleep' -Because 'the process must not run its program before start'
        foreach ($ns in 'pid', 'mnt', 'net', 'uts', 'ipc') {
            (Get-Item "/proc/$($seen.Pid)/ns/$ns").Target | Should -Not -Be (Get-Item "/proc/self/ns/$ns").Target -Because "runc spec asks for a new $ns namespace"
        }
        $seen.Cgroups = @(Get-CgroupDirs (Get-Content "/proc/$($seen.Pid)/cgroup"))
        $seen.Cgroups | Should -Not -BeNullOrEmpty
        $seen.Cgroups | ForEach-Object { Test-Path $_ | Should -BeTrue -Because "$_ holds the process" }
        $state = Read-State $id
        $state.status | Should -Be 'created'
        $state.pid | Should -Be $seen.Pid
        $state.id | Should -Be $id
        $state.bundle | Should -Be $bundle
    }

    It 'start: state running, and the process runs sleep 1000' {
        $r = Invoke-Runtime start $id

        $r.ExitCode | Should -Be 0 -Because $r.Text
        (Read-State $id).status | Should -Be 'running'
        $deadline = [DateTime]::UtcNow.AddSeconds(3)
        while (($cmd = [IO.File]::ReadAllText("/proc/$($seen.Pid)/cmdline").Replace("`0", ' ')) -ne 'sleep 1000 ' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $cmd | Should -Be 'sleep 1000 '
    }

    It 'exec: the command''s output comes back, runs in the container''s pid namespace, and passes on its exit code 5' {
        $r = Invoke-Runtime exec $id sh -c 'echo hi-from-exec; echo "[$(tr "\0" " " </proc/1/cmdline)]"; exit 5'

        $r.ExitCode | Should -Be 5 -Because $r.Text
        ($r.Out -split "`n")[0] | Should -Be 'hi-from-exec' -Because $r.Text
        ($r.Out -split "`n")[1] | Should -Be '[sleep 1000 ]' -Because "pid 1 in the exec's pid namespace is the container's process`n$($r.Text)"
    }

    It 'ps --format json lists the container''s pid' {
        $r = Invoke-Runtime ps --format json $id

        $r.ExitCode | Should -Be 0 -Because $r.Text
        @($r.Out | ConvertFrom-Json) | Should -Contain $seen.Pid -Because $r.Text
    }

    It 'pause: state paused, the freezer of the process''s cgroup FROZEN' {
        $r = Invoke-Runtime pause $id

        $r.ExitCode | Should -Be 0 -Because $r.Text
        (Read-State $id).status | Should -Be 'paused'
        $freezer = Get-FreezerState $seen.Pid
        $freezer.Path | Should -Match '^/containerps/'
        $freezer.State | Should -Be 'FROZEN'
    }

    It 'resume: state running, the freezer THAWED' {
        $r = Invoke-Runtime resume $id

        $r.ExitCode | Should -Be 0 -Because $r.Text
        (Read-State $id).status | Should -Be 'running'
        (Get-FreezerState $seen.Pid).State | Should -Be 'THAWED'
    }

    It 'exec -t opens no terminal from a /dev/ptmx the container replaced: it stays in the container and must be a ptmx' {
        $r = Invoke-Runtime exec $id sh -c 'echo plain > /dev/shm/f && ln -sf /dev/shm/f /dev/ptmx'
        $r.ExitCode | Should -Be 0 -Because $r.Text

        $r = Invoke-Runtime exec -t --console-socket ([IO.Path]::Combine($work, 'no-such.sock')) $id true
        $r.ExitCode | Should -Be 1 -Because $r.Text
        $r.Err | Should -Match 'is not a pseudo-terminal multiplexer \(character device 5:2\)' -Because $r.Text
        $r = Invoke-Runtime exec $id sh -c 'ln -sf pts/ptmx /dev/ptmx'
        $r.ExitCode | Should -Be 0 -Because $r.Text
    }

    It 'delete without --force of the running container fails with "not stopped" and leaves it running' {
        $r = Invoke-Runtime delete $id

        $r.ExitCode | Should -Be 1 -Because $r.Text
        $r.Err | Should -Match 'level=error msg=".*not stopped' -Because $r.Text
        (Read-State $id).status | Should -Be 'running'
        [IO.File]::ReadAllText("/proc/$($seen.Pid)/cmdline").Replace("`0", ' ') | Should -Be 'sleep 1000 '
        $seen.Cgroups | ForEach-Object { Test-Path $_ | Should -BeTrue -Because "$_ must stay" }
    }

    It 'kill KILL: state stopped, the process dead' {
        $r = Invoke-Runtime kill $id KILL

        $r.ExitCode | Should -Be 0 -Because $r.Text
        Wait-State $id stopped | Should -Be 'stopped'
        # Dead: gone, or a zombie its reaper (init here: create's caller was not a subreaper) has yet to collect.
        $stat = Get-Content "/proc/$($seen.Pid)/stat" -ErrorAction Ignore
        if ($stat) { ($stat -split '\) ')[1][0] | Should -Be 'Z' -Because $stat }
    }

    It 'delete: the record and the cgroups go' {
        $r = Invoke-Runtime delete $id

        $r.ExitCode | Should -Be 0 -Because $r.Text
        (Invoke-Runtime list -q).Out | Should -BeNullOrEmpty
        Get-Records | Should -BeNullOrEmpty
        Get-ReservedIds | Should -BeNullOrEmpty
        $seen.Cgroups | Where-Object { Test-Path $_ } | Should -BeNullOrEmpty
        (Invoke-Runtime state $id).ExitCode | Should -Be 1
    }

    It 'delete again: exit code 1, "does not exist"; delete --force of a missing id: exit code 0' {
        $r = Invoke-Runtime delete $id
        $r.ExitCode | Should -Be 1 -Because $r.Text
        $r.Err | Should -Match "^time=`"[^`"]+`" level=error msg=`"container $id does not exist`"$" -Because $r.Text

        $r = Invoke-Runtime delete --force $id
        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Err | Should -BeNullOrEmpty -Because $r.Text
    }
}

Describe 'state: the runtime spec''s state JSON' -Skip:(-not $isRoot -or -not $haveTools) {
    BeforeAll {
        $id = 'cps-state'; $script:ids.Add($id)
        $bundle = New-Bundle state -Arguments sleep, 1000 -Edit { param($c) $c.annotations = [ordered]@{ 'org.example.cps' = 'yes' } }
    }

    It 'the schema tells a good state from bad ones' {
        $good = '{"ociVersion":"1.2.0","id":"x","status":"created","pid":1,"bundle":"/b"}'
        Test-Json -Json $good -Schema $schema | Should -BeTrue
        foreach ($bad in '{"ociVersion":"1.2.0","id":"x","status":"sleeping","pid":1,"bundle":"/b"}',
            '{"ociVersion":"1.2.0","id":"x","status":"created","pid":-1,"bundle":"/b"}',
            '{"ociVersion":"1.2.0","status":"created","pid":1,"bundle":"/b"}',
            '{"ociVersion":"1.2.0","id":"x","status":"created","bundle":"/b","annotations":{"a":1}}') {
            Test-Json -Json $bad -Schema $schema -ErrorAction SilentlyContinue | Should -BeFalse -Because $bad
        }
    }

    It 'is valid when created, running and stopped, and says what the host shows' {
        $r = Invoke-Runtime create -b $bundle $id
        $r.ExitCode | Should -Be 0 -Because $r.Text
        $created = (Invoke-Runtime state $id).Out
        Test-Json -Json $created -Schema $schema | Should -BeTrue -Because $created
        $s = $created | ConvertFrom-Json
        $s.status | Should -Be 'created'
        Test-Path "/proc/$($s.pid)" | Should -BeTrue
        $s.bundle | Should -Be $bundle
        $s.annotations.'org.example.cps' | Should -Be 'yes'

        $r = Invoke-Runtime start $id
        $r.ExitCode | Should -Be 0 -Because $r.Text
        $running = (Invoke-Runtime state $id).Out
        Test-Json -Json $running -Schema $schema | Should -BeTrue -Because $running
        ($running | ConvertFrom-Json).status | Should -Be 'running'
        ($running | ConvertFrom-Json).pid | Should -Be $s.pid

        $r = Invoke-Runtime kill $id KILL
        $r.ExitCode | Should -Be 0 -Because $r.Text
        Wait-State $id stopped | Should -Be 'stopped'
        $stopped = (Invoke-Runtime state $id).Out
        Test-Json -Json $stopped -Schema $schema | Should -BeTrue -Because $stopped
        ($stopped | ConvertFrom-Json).id | Should -Be $id

        (Invoke-Runtime delete $id).ExitCode | Should -Be 0
    }
}

Describe 'spec and features' -Skip:(-not $isRoot -or -not $haveTools) {
    It 'spec writes a config.json that runs (args and terminal set), and refuses to write over it' {
        $id = 'cps-spec'; $script:ids.Add($id)
        $bundle = [IO.Directory]::CreateDirectory([IO.Path]::Combine($work, 'bundles', 'spec')).FullName
        cp -a $rootfsTemplate ([IO.Path]::Combine($bundle, 'rootfs'))
        $path = [IO.Path]::Combine($bundle, 'config.json')

        $r = Invoke-Runtime spec --bundle $bundle
        $r.ExitCode | Should -Be 0 -Because $r.Text
        $config = [IO.File]::ReadAllText($path) | ConvertFrom-Json -AsHashtable
        $config.process.terminal = $false
        $config.process.args = @('sh', '-c', 'echo spec-ran; hostname; exit 7')
        $edited = $config | ConvertTo-Json -Depth 20
        [IO.File]::WriteAllText($path, $edited)

        $r = Invoke-Runtime run -b $bundle $id
        $r.ExitCode | Should -Be 7 -Because $r.Text
        ($r.Out -split "`n")[0] | Should -Be 'spec-ran' -Because $r.Text
        ($r.Out -split "`n")[1] | Should -Be $config.hostname -Because $r.Text

        $r = Invoke-Runtime spec --bundle $bundle
        $r.ExitCode | Should -Be 1 -Because $r.Text
        $r.Err | Should -Match 'level=error msg=".*config\.json exists' -Because $r.Text
        [IO.File]::ReadAllText($path) | Should -BeExactly $edited
    }

    It 'features prints JSON with ociVersionMin/Max (around the version spec writes), namespaces and hooks' {
        $r = Invoke-Runtime features

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $f = $r.Out | ConvertFrom-Json
        $f.ociVersionMin | Should -Match '^1\.0\.\d+$'
        $f.ociVersionMax | Should -Match '^1\.\d+\.\d+$'
        [version]$f.ociVersionMax | Should -BeGreaterOrEqual ([version]$f.ociVersionMin)
        # The version this runtime writes (spec) is one it runs.
        $dir = [IO.Directory]::CreateDirectory([IO.Path]::Combine($work, 'bundles', 'features')).FullName
        (Invoke-Runtime spec --bundle $dir).ExitCode | Should -Be 0
        $written = [version]([IO.File]::ReadAllText([IO.Path]::Combine($dir, 'config.json')) | ConvertFrom-Json).ociVersion
        $written | Should -BeGreaterOrEqual ([version]$f.ociVersionMin)
        $written | Should -BeLessOrEqual ([version]$f.ociVersionMax)
        foreach ($ns in 'pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup') { $f.linux.namespaces | Should -Contain $ns }
        foreach ($hook in 'prestart', 'createRuntime', 'poststart', 'poststop') { $f.hooks | Should -Contain $hook }
        $f.mountOptions | Should -Contain 'rbind'
        $f.mountOptions | Should -Not -Contain 'bogus'
    }
}

Describe 'bad bundles: exit code 1, a runc-style error naming the problem, and nothing left behind' -Skip:(-not $isRoot -or -not $haveTools) {
    BeforeAll {
        # logrus's text line, time="..." level=error msg="...": the message unescaped, or $null when the text is not one.
        function Get-LogrusError([string] $Text) {
            $line = @($Text -split "`n" | Where-Object { $_ -match 'level=error' })[-1]
            if ($line -notmatch '^time="\d{4}-\d\d-\d\dT[^"]+" level=error msg="((?:[^"\\]|\\.)*)"$') { return $null }
            [regex]::Replace($Matches[1], '\\(.)', '$1')
        }

        # A hook that records the cgroups of the container's process (from the pid in the state on its stdin) in its
        # first argument, then fails (exit 1) or hangs (sleep 5).
        function New-CgroupHook([string] $Bundle, [string] $Name, [string] $Then) {
            $recorded = [IO.Path]::Combine($Bundle, "$Name-cgroups.txt")
            $script = New-HookScript ([IO.Path]::Combine($Bundle, "$Name.sh")) @"
pid=`$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
cat /proc/`$pid/cgroup >> "`$1"
$Then
"@
            [ordered]@{ path = $script; args = @("$Name.sh", $recorded); env = @('PATH=/usr/sbin:/usr/bin:/sbin:/bin') }
        }

        # The bundle of one case: Bundle, Marker (in the container's command line), the CgroupsPath it names (or $null),
        # and Recorded: the file its hook records cgroups in, if it has one.
        function New-BadBundle([string] $Case) {
            $name = "bad-$Case"
            $marker = "cps-mark-$Case"
            $cgroupsPath = $null
            $caseEdit = switch ($Case) {
                'no-config' { $null }
                'malformed' { $null }
                'namespace' { { param($c) $c.linux.namespaces += [ordered]@{ type = 'foo' } } }
                'mount-option' {
                    {
                        param($c, $b)
                        $null = [IO.Directory]::CreateDirectory([IO.Path]::Combine($b, 'data'))
                        $c.mounts += [ordered]@{ destination = '/mnt'; type = 'bind'; source = [IO.Path]::Combine($b, 'data'); options = @('rbind', 'bogus') }
                    }
                }
                'prestart' { { param($c, $b) $c.hooks = [ordered]@{ prestart = @(New-CgroupHook $b prestart 'echo cps-hook-refuses >&2; exit 1') } } }
                'timeout' {
                    $cgroupsPath = "/cps-oci-$PID/timeout"
                    {
                        param($c, $b)
                        $hook = New-CgroupHook $b slow 'sleep 5'
                        $hook.timeout = 1
                        $c.hooks = [ordered]@{ createRuntime = @($hook) }
                    }
                }
                'no-executable' { { param($c) $c.process.args = @('cps-no-such-program') } }
                'duplicate' { $null }
            }
            $arguments = @('sh', '-c', "sleep 300; echo $marker")
            # $cgroupsPath and $caseEdit reach the block through the callers' scopes (New-Bundle runs it).
            $bundle = New-Bundle $name -Arguments $arguments -Edit {
                param($c, $b)
                if ($cgroupsPath) { $c.linux.cgroupsPath = $cgroupsPath }
                if ($caseEdit) { & $caseEdit $c $b }
            }
            $config = [IO.Path]::Combine($bundle, 'config.json')
            if ($Case -eq 'no-config') { Remove-Item $config }
            if ($Case -eq 'malformed') { [IO.File]::WriteAllText($config, ([IO.File]::ReadAllText($config)).Substring(0, 200)) }
            $recorded = switch ($Case) { 'prestart' { 'prestart-cgroups.txt' } 'timeout' { 'slow-cgroups.txt' } }
            [pscustomobject]@{ Bundle = $bundle; Marker = $marker; CgroupsPath = $cgroupsPath; Recorded = @(if ($recorded) { [IO.Path]::Combine($bundle, $recorded) }) }
        }
    }

    It '<Case>: <Says>' -ForEach @(
        @{ Case = 'no-config'; Says = 'no config.json in the bundle'; Pattern = '^open /\S+/config\.json: no such file or directory' }
        @{ Case = 'malformed'; Says = 'config.json cut short'; Pattern = '^config\.json in /\S+ is not valid JSON' }
        @{ Case = 'namespace'; Says = 'a namespace of type foo'; Pattern = '^unknown namespace type foo' }
        @{ Case = 'mount-option'; Says = 'a bind mount with the option bogus'; Pattern = '^mounts: unknown mount option bogus for /mnt' }
        @{ Case = 'prestart'; Says = 'a prestart hook that exits 1'; Pattern = '^error running prestart hook /\S+/prestart\.sh: exit status 1, stderr: cps-hook-refuses$' }
        @{ Case = 'timeout'; Says = 'a createRuntime hook that sleeps past its timeout of 1 s'; Pattern = '^error running createRuntime hook /\S+/slow\.sh: timed out' }
        @{ Case = 'no-executable'; Says = 'args[0] that is nowhere in the rootfs'; Pattern = 'exec: "cps-no-such-program": executable file not found' }
        @{ Case = 'duplicate'; Says = 'an id in use'; Pattern = '^container with id exists: cps-bad-duplicate$' }
    ) {
        $id = "cps-bad-$Case"; $script:ids.Add($id)
        $bad = New-BadBundle $Case
        $first = $null
        if ($Case -eq 'duplicate') {
            # The id is taken by a good container, which must come out of this as it went in.
            $good = New-Bundle dup-first -Arguments sleep, 1000
            $pidFile = [IO.Path]::Combine($work, 'dup-first.pid')
            $r = Invoke-Runtime create -b $good --pid-file $pidFile $id
            $r.ExitCode | Should -Be 0 -Because $r.Text
            $first = [int][IO.File]::ReadAllText($pidFile)
        }
        $records = Get-Records; $reserved = Get-ReservedIds
        if (-not $first) { $records | Should -BeNullOrEmpty -Because 'the store is empty before each case' }
        $cgroupsBefore = Get-DefaultCgroups

        $r = Invoke-Runtime create -b $bad.Bundle $id
        $r.ExitCode | Should -Be 1 -Because $r.Text
        $msg = Get-LogrusError $r.Err
        $msg | Should -Not -BeNullOrEmpty -Because "stderr must hold a logrus error line`n$($r.Text)"
        $msg | Should -Match $Pattern -Because $r.Text

        $log = [IO.Path]::Combine($work, "$id.log.json")
        $j = Invoke-Runtime --log $log --log-format json create -b $bad.Bundle $id
        $j.ExitCode | Should -Be 1 -Because $j.Text
        Test-Path $log | Should -BeTrue -Because "the error goes to --log`n$($j.Text)"
        $line = @(Get-Content $log)[-1]
        $line | Should -Match '"time":"\d{4}-\d\d-\d\dT' -Because $line
        $entry = $line | ConvertFrom-Json
        $entry.level | Should -Be 'error' -Because $line
        $entry.msg | Should -Match $Pattern -Because $line

        # Nothing left: the store as it was, no new cgroup under containerps/ or at cgroupsPath, none of the groups the
        # hooks saw the process in, no mount naming the bundle, no process of the container or its hooks.
        (Get-Records) -join ' ' | Should -Be ($records -join ' ')
        (Get-ReservedIds) -join ' ' | Should -Be ($reserved -join ' ')
        Get-LeftoverCgroups $cgroupsBefore @($bad.Bundle, $bad.Marker, $id) | Should -BeNullOrEmpty
        if ($bad.CgroupsPath) { Get-CgroupRoots | ForEach-Object { "$_$($bad.CgroupsPath)" } | Where-Object { Test-Path $_ } | Should -BeNullOrEmpty }
        foreach ($recorded in $bad.Recorded) {
            Test-Path $recorded | Should -BeTrue -Because 'the hook ran and recorded the process''s cgroups'
            $dirs = @(Get-CgroupDirs (Get-Content $recorded))
            $dirs | Should -Not -BeNullOrEmpty
            if ($bad.CgroupsPath) { $dirs | Should -Contain "/sys/fs/cgroup/memory$($bad.CgroupsPath)" }
            $dirs | Where-Object { Test-Path $_ } | Should -BeNullOrEmpty
        }
        Get-MountsNaming $bad.Bundle | Should -BeNullOrEmpty
        $texts = @($bad.Bundle, $bad.Marker) + $(if (-not $first) { $id })
        Get-ProcessesNaming $texts | Should -BeNullOrEmpty

        if ($first) {
            $state = Read-State $id
            $state.status | Should -Be 'created'
            $state.pid | Should -Be $first
            $state.bundle | Should -Be $good
            (Invoke-Runtime delete --force $id).ExitCode | Should -Be 0
        }
    }
}

Describe 'hooks that work' -Skip:(-not $isRoot -or -not $haveTools) {
    BeforeAll {
        $id = 'cps-hooks'; $script:ids.Add($id)
        $bundle = New-Bundle hooks -Arguments sleep, 1000 -Edit {
            param($c, $b)
            $hook = { param($kind) [ordered]@{
                    path = New-HookScript ([IO.Path]::Combine($b, "$kind.sh")) 'cat > "$1"'
                    args = @("$kind.sh", [IO.Path]::Combine($b, "$kind.json")); env = @('PATH=/usr/sbin:/usr/bin:/sbin:/bin') } }
            $c.hooks = [ordered]@{ prestart = @(& $hook prestart); poststop = @(& $hook poststop) }
        }
        $pidFile = [IO.Path]::Combine($work, 'hooks.pid')
    }

    It 'prestart gets the state on its stdin: the id, the pid of the waiting process, status created, the bundle' {
        $r = Invoke-Runtime create -b $bundle --pid-file $pidFile $id

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $given = [IO.File]::ReadAllText([IO.Path]::Combine($bundle, 'prestart.json'))
        $state = $given | ConvertFrom-Json
        $state.id | Should -Be $id -Because $given
        $state.pid | Should -Be ([int][IO.File]::ReadAllText($pidFile)) -Because $given
        $state.status | Should -Be 'created' -Because $given
        $state.bundle | Should -Be $bundle -Because $given
        Test-Json -Json $given -Schema $schema | Should -BeTrue -Because $given
        Test-Path ([IO.Path]::Combine($bundle, 'poststop.json')) | Should -BeFalse -Because 'poststop runs only on delete'
    }

    It 'poststop runs on delete, with the id, status stopped and the bundle on its stdin' {
        (Invoke-Runtime start $id).ExitCode | Should -Be 0
        (Invoke-Runtime kill $id KILL).ExitCode | Should -Be 0
        Wait-State $id stopped | Should -Be 'stopped'
        Test-Path ([IO.Path]::Combine($bundle, 'poststop.json')) | Should -BeFalse -Because 'poststop runs only on delete'

        $r = Invoke-Runtime delete $id

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $given = [IO.File]::ReadAllText([IO.Path]::Combine($bundle, 'poststop.json'))
        $state = $given | ConvertFrom-Json
        $state.id | Should -Be $id -Because $given
        $state.status | Should -Be 'stopped' -Because $given
        $state.bundle | Should -Be $bundle -Because $given
        Get-Records | Should -BeNullOrEmpty
    }
}

Describe 'linux.cgroupsPath and linux.resources' -Skip:(-not $isRoot -or -not $haveTools) {
    BeforeAll {
        $id = 'cps-limits'; $script:ids.Add($id)
        $group = "/cps-oci-test-$PID/c1" # the parent is removed in AfterAll: the runtime leaves an engine's parents alone
        $bundle = New-Bundle limits -Arguments sleep, 1000 -Edit {
            param($c)
            $c.linux.cgroupsPath = $group
            $c.linux.resources.memory = [ordered]@{ limit = 64MB }
            $c.linux.resources.pids = [ordered]@{ limit = 50 }
            # hugetlb where this host has it (its cgroup2 tree here; a v1 hierarchy elsewhere).
            $c.linux.resources.hugepageLimits = @([ordered]@{ pageSize = '2MB'; limit = 4MB })
        }
        $pidFile = [IO.Path]::Combine($work, 'limits.pid')
        $seen = @{}
    }

    It 'puts the process in that group, with memory.limit_in_bytes 64 MiB, pids.max 50 and 4 MiB of 2 MB huge pages' {
        $r = Invoke-Runtime create -b $bundle --pid-file $pidFile $id

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $seen.Pid = [int][IO.File]::ReadAllText($pidFile)
        $lines = Get-Content "/proc/$($seen.Pid)/cgroup"
        $seen.Dirs = @(Get-CgroupDirs $lines)
        ($lines | Where-Object { $_ -match '^\d+:memory:' }) -replace '^\d+:memory:', '' | Should -Be $group -Because ($lines -join "`n")
        ($lines | Where-Object { $_ -match '^\d+:pids:' }) -replace '^\d+:pids:', '' | Should -Be $group -Because ($lines -join "`n")
        Get-Content "/sys/fs/cgroup/memory$group/memory.limit_in_bytes" | Should -Be "$(64MB)"
        Get-Content "/sys/fs/cgroup/pids$group/pids.max" | Should -Be '50'
        Get-Content "/sys/fs/cgroup/memory$group/cgroup.procs" | Should -Contain "$($seen.Pid)"
        $hugetlb = @("/sys/fs/cgroup/hugetlb$group/hugetlb.2MB.limit_in_bytes", "/sys/fs/cgroup/unified$group/hugetlb.2MB.max", "/sys/fs/cgroup$group/hugetlb.2MB.max" | Where-Object { Test-Path $_ })
        $hugetlb.Count | Should -Be 1 -Because 'one hierarchy holds hugetlb'
        Get-Content $hugetlb[0] | Should -Be "$(4MB)"
    }

    It 'removes the group on delete' {
        $seen.Dirs | Should -Contain "/sys/fs/cgroup/memory$group"
        (Invoke-Runtime kill $id KILL).ExitCode | Should -Be 0
        Wait-State $id stopped | Should -Be 'stopped'

        $r = Invoke-Runtime delete $id

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $seen.Dirs | Where-Object { Test-Path $_ } | Should -BeNullOrEmpty
        Test-Path "/sys/fs/cgroup/memory$group" | Should -BeFalse
        Test-Path "/sys/fs/cgroup/pids$group" | Should -BeFalse
    }
}

Describe 'process and linux settings of config.json, seen inside the container and from the host' -Skip:(-not $isRoot -or -not $haveTools) {
    BeforeAll {
        # Runs a bundle made by New-Bundle to its end (run, not detached); returns the result with its Bundle.
        function Invoke-Bundle([string] $Name, [string[]] $Arguments, [scriptblock] $Edit) {
            $id = "cps-cfg-$Name"; $script:ids.Add($id)
            $bundle = New-Bundle "cfg-$Name" -Arguments $Arguments -Edit $Edit
            $r = Invoke-Runtime run -b $bundle $id
            $r | Add-Member Bundle $bundle -PassThru
        }
    }

    It 'process.rlimits: RLIMIT_NOFILE soft 123 hard 456' {
        $r = Invoke-Bundle rlimit sh, -c, 'ulimit -n; grep "Max open files" /proc/self/limits' -Edit {
            param($c) $c.process.rlimits = @([ordered]@{ type = 'RLIMIT_NOFILE'; soft = 123; hard = 456 })
        }

        $r.ExitCode | Should -Be 0 -Because $r.Text
        ($r.Out -split "`n")[0] | Should -Be '123' -Because $r.Text
        ($r.Out -split "`n")[1] | Should -Match '^Max open files\s+123\s+456\s+files' -Because $r.Text
    }

    It 'linux.sysctl: net.ipv4.ip_forward set in the container''s network namespace, the host''s unchanged' {
        $hostValue = (Get-Content /proc/sys/net/ipv4/ip_forward).Trim()
        $want = if ($hostValue -eq '1') { '0' } else { '1' } # other than the host's, so that it shows

        $r = Invoke-Bundle sysctl cat, /proc/sys/net/ipv4/ip_forward -Edit { param($c) $c.linux.sysctl = [ordered]@{ 'net.ipv4.ip_forward' = $want } }

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Out | Should -Be $want -Because $r.Text
        (Get-Content /proc/sys/net/ipv4/ip_forward).Trim() | Should -Be $hostValue
    }

    # runc refuses these ("not allowed in host network namespace", "not in a separate kernel namespace"): written from
    # the container they would be the host's. The test puts back the host's value if the runtime changed it.
    It 'linux.sysctl: <Key> (<Why>) is refused, and the host''s value stays' -ForEach @(
        @{ Key = 'net.ipv4.ip_default_ttl'; Why = 'no network namespace of its own'; DropNetwork = $true }
        @{ Key = 'vm.swappiness'; Why = 'in no namespace at all'; DropNetwork = $false }
    ) {
        $path = '/proc/sys/' + $Key.Replace('.', '/')
        $hostValue = [IO.File]::ReadAllText($path).Trim()
        $other = "$([int]$hostValue + 1)"
        try {
            $r = Invoke-Bundle "sysctl-$($Key.Replace('.', '-'))" cat, $path -Edit {
                param($c)
                if ($DropNetwork) { $c.linux.namespaces = @($c.linux.namespaces | Where-Object type -ne 'network') }
                $c.linux.sysctl = [ordered]@{ $Key = $other }
            }
            $after = [IO.File]::ReadAllText($path).Trim()
        }
        finally {
            if ([IO.File]::ReadAllText($path).Trim() -ne $hostValue) { [IO.File]::WriteAllText($path, $hostValue) }
        }

        $after | Should -Be $hostValue -Because "the container must not set the host's $Key`n$($r.Text)"
        $r.ExitCode | Should -Be 1 -Because $r.Text
        $r.Err | Should -Match "level=error msg=`".*$([regex]::Escape($Key))" -Because $r.Text
    }

    It 'linux.maskedPaths: a masked file is an empty character device inside, a masked directory empty; unmasked they are the kernel''s' {
        # runc spec masks /proc/kcore, which not every kernel has (CONFIG_PROC_KCORE); /proc/timer_list, also masked, then.
        $file = @('/proc/kcore', '/proc/timer_list' | Where-Object { Test-Path $_ })[0]
        $look = "stat -c %F $file; head -c 16 $file | wc -c; ls /sys/firmware | wc -l"

        $r = Invoke-Bundle masked sh, -c, $look

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $lines = $r.Out -split "`n"
        $lines[0] | Should -Be 'character special file' -Because $r.Text
        $lines[1].Trim() | Should -Be '0' -Because $r.Text
        $lines[2].Trim() | Should -Be '0' -Because "/sys/firmware is masked too`n$($r.Text)"
        $plain = Invoke-Bundle unmasked sh, -c, $look -Edit { param($c) $c.linux.maskedPaths = @() }
        $lines = $plain.Out -split "`n"
        $lines[0] | Should -Match '^regular' -Because $plain.Text
        $lines[1].Trim() | Should -Be '16' -Because $plain.Text
        [int]$lines[2].Trim() | Should -BeGreaterThan 0 -Because $plain.Text
    }

    It 'linux.maskedPaths: the mask is the host''s /dev/null even where the image''s /dev/null links to a host file and no /dev tmpfs covers it' {
        # runc's CVE-2025-31133: a mask bound from the container's own /dev/null would bind what that link names.
        $file = @('/proc/kcore', '/proc/timer_list' | Where-Object { Test-Path $_ })[0]
        $pattern = (Get-Content /proc/sys/kernel/core_pattern -Raw)
        $r = Invoke-Bundle masklink sh, -c, "stat -c %t:%T $file; head -c 16 $file | wc -c" -Edit {
            param($c, $bundle)
            $c.mounts = @($c.mounts | Where-Object { $_.destination -ne '/dev' })
            $null = [IO.File]::CreateSymbolicLink([IO.Path]::Combine($bundle, 'rootfs', 'dev', 'null'), '/proc/sys/kernel/core_pattern')
        }

        $r.ExitCode | Should -Be 0 -Because $r.Text
        ($r.Out -split "`n")[0] | Should -Be '1:3' -Because "the mask is the null device`n$($r.Text)"
        ($r.Out -split "`n")[1].Trim() | Should -Be '0' -Because $r.Text
        Get-Content /proc/sys/kernel/core_pattern -Raw | Should -Be $pattern
    }

    It 'linux.readonlyPaths: /proc/sys cannot be written inside; without it, it can (in its own network namespace)' {
        $hostValue = (Get-Content /proc/sys/net/ipv4/ip_forward).Trim()
        $other = if ($hostValue -eq '1') { '0' } else { '1' } # so that a write reaching the host would show
        $write = "echo $other > /proc/sys/net/ipv4/ip_forward && echo written || echo refused"
        # Both may write in their own network namespace's /proc/sys/net (CAP_NET_ADMIN, which runc spec leaves out).
        $netAdmin = { param($c) foreach ($set in 'bounding', 'effective', 'permitted') { $c.process.capabilities[$set] += 'CAP_NET_ADMIN' } }

        $r = Invoke-Bundle readonly-paths sh, -c, $write -Edit { param($c) & $netAdmin $c }

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Out | Should -Match '(?m)^refused$' -Because $r.Text
        $r.Err | Should -Match 'Read-only file system' -Because $r.Text
        $plain = Invoke-Bundle writable-paths sh, -c, $write -Edit { param($c) & $netAdmin $c; $c.linux.readonlyPaths = @() }
        $plain.Out | Should -Be 'written' -Because $plain.Text
        (Get-Content /proc/sys/net/ipv4/ip_forward).Trim() | Should -Be $hostValue
    }

    It 'root.readonly: touch / fails and nothing reaches the rootfs; with readonly false the file appears on the host' {
        $touch = 'touch /cps-written && echo touched || echo refused'

        $r = Invoke-Bundle readonly-root sh, -c, $touch -Edit { param($c) $c.root.readonly = $true }

        $r.Out | Should -Match '(?m)^refused$' -Because $r.Text
        Test-Path ([IO.Path]::Combine($r.Bundle, 'rootfs', 'cps-written')) | Should -BeFalse
        $plain = Invoke-Bundle writable-root sh, -c, $touch -Edit { param($c) $c.root.readonly = $false }
        $plain.Out | Should -Be 'touched' -Because $plain.Text
        Test-Path ([IO.Path]::Combine($plain.Bundle, 'rootfs', 'cps-written')) | Should -BeTrue
    }

    It 'process.user: uid 1000 gid 1000, as id and the kernel''s status show' {
        $r = Invoke-Bundle user sh, -c, 'id -u; id -g; grep -E "^(Uid|Gid):" /proc/self/status' -Edit {
            param($c)
            $c.process.user = [ordered]@{ uid = 1000; gid = 1000 }
            # runc spec's ambient set is for root; this runtime refuses ambient capabilities for another user.
            $c.process.capabilities.Remove('ambient')
        }

        $r.ExitCode | Should -Be 0 -Because $r.Text
        $lines = $r.Out -split "`n"
        $lines[0] | Should -Be '1000' -Because $r.Text
        $lines[1] | Should -Be '1000' -Because $r.Text
        $lines[2] | Should -Match '^Uid:\s+1000\s+1000\s+1000\s+1000$' -Because $r.Text
        $lines[3] | Should -Match '^Gid:\s+1000\s+1000\s+1000\s+1000$' -Because $r.Text
    }
}
