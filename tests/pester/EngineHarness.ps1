# Dot-sourced by Engines.Tests.ps1: containerd 1.6 (ctr) and podman 4.3 started in a private directory and pointed at
# an OCI runtime binary, as ../shared/engines/engines.sh does by hand. Every engine call is bounded by a timeout, so a
# runtime that hangs fails its test instead of holding CI, and every start has a stop that removes what it made: the
# daemon and its shims (by pid), mounts under its directory, the cgroups named after it, and the /run directories it
# created, which are removed only when they were not there before it started and are empty.

$script:EngineImageRef = 'localhost/cps-busybox:latest'

# Single quotes for sh: script -c takes one command line, which its shell splits again.
function ConvertTo-ShWord([string] $Word) { "'" + $Word.Replace("'", "'\''") + "'" }

# Runs a program with a deadline and returns what the tests assert on: ExitCode ($null when it was killed), TimedOut,
# Out and Err (CRs and NULs of a pty taken out), and Text, the whole story for -Because. -Terminal runs it under
# `script`, whose pty is the terminal `ctr run -t` and `podman run -it` need (they refuse a pipe). Stdin is a pipe held
# open, like a terminal nobody types at, until the program ends: `script` forwards an early EOF to the pty, and podman
# -it then ends its container before it prints anything.
function Invoke-Bounded {
    param([string] $File, [string[]] $Arguments = @(), [int] $TimeoutSeconds = 15, [hashtable] $Environment = @{}, [switch] $Terminal)
    $start = [Diagnostics.ProcessStartInfo]::new()
    if ($Terminal) {
        $line = (@($File) + $Arguments | ForEach-Object { ConvertTo-ShWord $_ }) -join ' '
        $start.FileName = 'script'
        foreach ($a in '-qec', $line, '/dev/null') { $start.ArgumentList.Add($a) }
        $start.Environment['SHELL'] = '/bin/sh' # script runs the line with $SHELL -c
    }
    else {
        $start.FileName = $File
        foreach ($a in $Arguments) { $start.ArgumentList.Add($a) }
    }
    foreach ($k in $Environment.Keys) { $start.Environment[$k] = $Environment[$k] }
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true; $start.RedirectStandardOutput = $true; $start.RedirectStandardError = $true
    $command = (@($File) + $Arguments) -join ' '
    if ($Terminal) { $command = "script -qec `"$command`" /dev/null" }

    $p = [Diagnostics.Process]::Start($start)
    $out = $p.StandardOutput.ReadToEndAsync(); $err = $p.StandardError.ReadToEndAsync()
    $timedOut = -not $p.WaitForExit($TimeoutSeconds * 1000)
    if ($timedOut) {
        try { $p.Kill($true) } catch { } # the tree: script, its sh, the engine's client; not the daemons it talks to
        $null = $p.WaitForExit(5000)
    }
    try { $p.StandardInput.Close() } catch { }
    # A process the client left behind could keep the pipes open; the test goes on without the rest of the output.
    $closed = [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]] @($out, $err), 5000)
    $clean = { param($t) if ($t.IsCompleted) { ($t.Result -replace "[`r`0]", '').TrimEnd() } else { '(output still held open)' } }
    $o = & $clean $out; $e = & $clean $err
    $code = if ($timedOut) { $null } else { $p.ExitCode }
    $p.Dispose()
    $story = if ($timedOut) { "timed out after $TimeoutSeconds s and was killed" } else { "exit code $code" }
    if (-not $closed) { $story += ', its output pipes still open 5 s later' }
    [pscustomobject]@{
        Command = $command; ExitCode = $code; TimedOut = $timedOut; Out = $o; Err = $e
        Text = "$command`n  -> $story`n  stdout: $o`n  stderr: $e"
    }
}

# An engine whose call timed out is left wedged (a runtime hanging in create keeps its shim or conmon waiting): later
# calls to it fail at once with this result, naming the call that hung, instead of each waiting out its own timeout.
# The stop functions go around it (Invoke-Bounded directly), so their cleanup calls still run, bounded as every call is.
function Invoke-EngineCall($Engine, [string] $File, [string[]] $Arguments, [switch] $Terminal) {
    if ($Engine.Wedged) {
        $command = (@($File) + $Arguments) -join ' '
        return [pscustomobject]@{ Command = $command; ExitCode = $null; TimedOut = $false; Out = ''; Err = ''
            Text = "$command`n  -> not run: an earlier call timed out, and this engine is taken as wedged: $($Engine.Wedged)" }
    }
    $environment = if ($Engine.PSObject.Properties['Environment']) { $Engine.Environment } else { @{} }
    $r = Invoke-Bounded $File $Arguments -TimeoutSeconds $Engine.Timeout -Environment $environment -Terminal:$Terminal
    if ($r.TimedOut) { $Engine.Wedged = $r.Command }
    $r
}

# The options of `run` / `exec` that take a value, for both engines: what comes after one is its value, not the first
# positional argument (the image, or where podman must be given the rootfs). `--opt=value` needs no entry.
$script:EngineValueOptions = @(
    '--runtime', '--runc-binary', '--runc-root', '--fifo-dir', '--cgroup', '--exec-id', '--env', '-e', '--env-file',
    '--mount', '--label', '--annotation', '--snapshotter', '--platform', '--cwd', '--log-uri', '--pid-file', '--user',
    '-u', '--name', '--ulimit', '--network', '--cgroup-parent', '--cgroup-manager', '--workdir', '-w', '--entrypoint',
    '--hostname', '--stop-signal', '--stop-timeout', '--volume', '-v', '--log-driver', '--detach-keys', '-s', '--signal')

# Splits `run`/`exec` arguments into the options and the rest (image or container, then the command), so that a -t in
# the container's own command (`test -t 0`) is not taken for the engine's. Returns one pair: index it, [0] and [1].
function Split-EngineOptions([string[]] $Arguments) {
    $i = 0
    while ($i -lt $Arguments.Count -and $Arguments[$i].StartsWith('-')) {
        if ($Arguments[$i] -in $script:EngineValueOptions) { $i++ }
        $i++
    }
    $i = [Math]::Min($i, $Arguments.Count)
    , @(@($Arguments | Select-Object -First $i), @($Arguments | Select-Object -Skip $i))
}

function Test-TtyOption([string[]] $Options) { [bool]($Options | Where-Object { $_ -in '-t', '--tty', '-it', '-ti' }) }

# Every cgroup hierarchy root: each v1 controller mount (not the cpu,cpuacct style links) and the v2 tree, or the one
# root of a v2-only host.
function Get-CgroupRoots {
    if (Test-Path /sys/fs/cgroup/cgroup.controllers) { return '/sys/fs/cgroup' }
    Get-ChildItem /sys/fs/cgroup -Directory | Where-Object { -not $_.LinkType } | ForEach-Object FullName
}

# Removes the cgroup /$Name in every hierarchy, children first (rmdir: a cgroup's files go with it, and a cgroup with
# processes or children stays). -Kill, only for the harness's own cps- trees: what is still in them (a container the
# runtime failed to stop) is thawed and killed first, since a frozen process cannot die and a populated cgroup cannot
# be removed. Without -Kill (libpod_parent, default: names other users of the engines share) only what is empty goes.
function Remove-CgroupTree([string] $Name, [switch] $Kill) {
    $trees = @(Get-CgroupRoots | ForEach-Object { [IO.Path]::Combine($_, $Name.TrimStart('/')) } | Where-Object { [IO.Directory]::Exists($_) })
    if (-not $trees) { return }
    $all = @(foreach ($t in $trees) { $t; Get-ChildItem $t -Directory -Recurse -ErrorAction Ignore | ForEach-Object FullName })
    if ($Kill) {
        foreach ($d in $all) {
            $state = [IO.Path]::Combine($d, 'freezer.state'); $freeze = [IO.Path]::Combine($d, 'cgroup.freeze')
            if ([IO.File]::Exists($state)) { try { [IO.File]::WriteAllText($state, 'THAWED') } catch { } }
            if ([IO.File]::Exists($freeze)) { try { [IO.File]::WriteAllText($freeze, '0') } catch { } }
        }
        $pids = @(foreach ($d in $all) { Get-Content ([IO.Path]::Combine($d, 'cgroup.procs')) -ErrorAction Ignore }) | Sort-Object -Unique
        foreach ($p in $pids) { Write-Warning "killing $p, left in cgroup /$($Name.TrimStart('/'))"; Stop-Process -Id $p -Force -ErrorAction Ignore }
    }
    $deadline = [DateTime]::UtcNow.AddSeconds(5)
    foreach ($d in $all | Sort-Object Length -Descending) {
        while ($true) {
            try { [IO.Directory]::Delete($d, $false); break }
            catch [IO.DirectoryNotFoundException] { break }
            catch {
                if (-not $Kill) { break }
                if ([DateTime]::UtcNow -gt $deadline) { Write-Warning "cgroup $d not removed: $($_.Exception.Message)"; break }
                Start-Sleep -Milliseconds 50 # killed processes take a moment to leave it
            }
        }
    }
}

# The directories and cgroups an engine may make outside its own directory, as they are before it starts: the stop
# removes only the ones that were not there.
function Get-OutsideState([string[]] $RunDirs, [string[]] $CgroupNames) {
    @{
        RunDirs = @($RunDirs | Where-Object { [IO.Directory]::Exists($_) })
        Cgroups = @(foreach ($n in $CgroupNames) { Get-CgroupRoots | ForEach-Object { [IO.Path]::Combine($_, $n) } | Where-Object { [IO.Directory]::Exists($_) } })
    }
}

# rmdir of each directory that was not there before and is empty now; deepest first, so a parent can follow its child.
function Remove-NewEmptyDirs([string[]] $Dirs, [string[]] $Before) {
    foreach ($d in $Dirs | Sort-Object Length -Descending) {
        if ($d -in $Before -or -not [IO.Directory]::Exists($d)) { continue }
        if (@([IO.Directory]::EnumerateFileSystemEntries($d)).Count -eq 0) { [IO.Directory]::Delete($d, $false) }
    }
}

# The processes whose command line names $Dir (shims with the daemon's socket, conmon with its bundle, podman's
# `container cleanup` exit command): given $GraceSeconds to end on their own, then killed. They are this harness's by
# construction, as only it uses the directory.
function Stop-ProcessesNaming([string] $Dir, [int] $GraceSeconds = 5) {
    $find = {
        foreach ($p in [IO.Directory]::GetDirectories('/proc')) {
            $id = [IO.Path]::GetFileName($p)
            if ($id -notmatch '^\d+$' -or [int]$id -eq $PID) { continue }
            try { $cmd = [IO.File]::ReadAllText("$p/cmdline") } catch { continue }
            if ($cmd.Replace("`0", ' ').Contains($Dir)) { [int]$id }
        }
    }
    $deadline = [DateTime]::UtcNow.AddSeconds($GraceSeconds)
    while (($left = @(& $find)) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    foreach ($id in $left) { Write-Warning "killing $id, left running: $((Get-Content "/proc/$id/cmdline" -Raw -ErrorAction Ignore) -replace "`0", ' ')"; Stop-Process -Id $id -Force -ErrorAction Ignore }
}

# Unmounts every mount at or under $Dir, deepest first (a snapshot a runtime left mounted); lazily when busy. Returns
# whether none is left, which is what makes removing $Dir safe: rm -r through a mount would empty what is mounted.
function Dismount-Under([string] $Dir) {
    $mounts = {
        Get-Content /proc/self/mountinfo | ForEach-Object {
            [regex]::Replace(($_ -split ' ')[4], '\\([0-7]{3})', { param($m) [char][Convert]::ToInt32($m.Groups[1].Value, 8) })
        } | Where-Object { $_ -eq $Dir -or $_.StartsWith("$Dir/") }
    }
    foreach ($m in @(& $mounts) | Sort-Object Length -Descending) {
        umount $m 2>$null; if ($LASTEXITCODE) { umount -l $m 2>$null }
    }
    -not @(& $mounts)
}

# rm, not Remove-Item: pwsh 7.6's Remove-Item -Force fails on the etc/mtab -> /proc/mounts a podman run leaves in the
# rootfs ("Access to the path ... is denied"). --one-file-system: never into a mount that could not be undone.
function Remove-EngineDir([string] $Dir) {
    if (-not [IO.Directory]::Exists($Dir)) { return }
    if (-not (Dismount-Under $Dir)) { Write-Warning "$Dir still has mounts; left in place"; return }
    rm -rf --one-file-system -- $Dir
    if ($LASTEXITCODE) { Write-Warning "rm -rf $Dir failed (exit $LASTEXITCODE)" }
}

# A busybox OCI image made by umoci, from busybox-static's /bin/busybox with its applet links and a root user, turned
# by skopeo into the docker-archive localhost/cps-busybox:latest that `ctr images import` takes. The unpacked bundle
# stays at <Dir>/bundle: its rootfs is what podman --rootfs runs. Returns the archive's path.
function New-EngineImage([string] $Dir) {
    $oci = [IO.Path]::Combine($Dir, 'oci'); $bundle = [IO.Path]::Combine($Dir, 'bundle')
    $rootfs = [IO.Path]::Combine($bundle, 'rootfs'); $tar = [IO.Path]::Combine($Dir, 'busybox-docker.tar')
    $run = { param($what) if ($LASTEXITCODE) { throw "New-EngineImage: $what failed (exit $LASTEXITCODE)" } }
    umoci init --layout $oci | Out-Null; & $run 'umoci init'
    umoci new --image "${oci}:busybox" | Out-Null; & $run 'umoci new'
    umoci unpack --image "${oci}:busybox" $bundle | Out-Null; & $run 'umoci unpack'
    foreach ($d in 'bin', 'etc', 'tmp') { [IO.Directory]::CreateDirectory([IO.Path]::Combine($rootfs, $d)) | Out-Null }
    Copy-Item /bin/busybox ([IO.Path]::Combine($rootfs, 'bin', 'busybox'))
    foreach ($applet in @(/bin/busybox --list)) {
        $link = [IO.Path]::Combine($rootfs, 'bin', $applet)
        if (-not [IO.File]::Exists($link)) { [IO.File]::CreateSymbolicLink($link, 'busybox') | Out-Null }
    }
    [IO.File]::WriteAllText([IO.Path]::Combine($rootfs, 'etc', 'passwd'), "root:x:0:0:root:/root:/bin/sh`n")
    [IO.File]::WriteAllText([IO.Path]::Combine($rootfs, 'etc', 'group'), "root:x:0:`n")
    umoci repack --image "${oci}:busybox" $bundle | Out-Null; & $run 'umoci repack'
    umoci config --image "${oci}:busybox" --config.cmd /bin/sh --config.env PATH=/bin --architecture amd64 --os linux | Out-Null; & $run 'umoci config'
    # skopeo run as root keeps a blob-info cache in /var/lib/containers/cache, with no flag to move it; as a "rootless"
    # user (_CONTAINERS_ROOTLESS_UID) it keeps it under XDG_DATA_HOME instead, here in $Dir.
    $environment = @{ _CONTAINERS_ROOTLESS_UID = '1'; XDG_DATA_HOME = [IO.Path]::Combine($Dir, 'xdg') }
    $r = Invoke-Bounded skopeo @('copy', '--quiet', "oci:${oci}:busybox", "docker-archive:${tar}:$script:EngineImageRef") -TimeoutSeconds 60 -Environment $environment
    if ($r.ExitCode -ne 0) { throw "New-EngineImage: skopeo copy: $($r.Text)" }
    $tar
}

# containerd 1.6 with root, state, sockets and opt under $Dir: the config of ../shared/engines/containerd-config.toml,
# CRI off, cgroupfs. Its ctr namespace is cps-eng-<pid> unless given, not `default`: ctr's default cgroup for a container
# is /<namespace>/<id>, so with `default` every engine user on the host shares /sys/fs/cgroup/*/default. The run helper
# names that same /<namespace>/<id> (--cgroup), and the stop removes the one cps- tree.
function Start-TestContainerd([string] $Dir, [string] $Namespace = "cps-eng-$PID", [int] $TimeoutSeconds = 15) {
    [IO.Directory]::CreateDirectory($Dir) | Out-Null
    $before = Get-OutsideState @('/run/containerd', '/run/containerd/s', '/run/containerd/fifo', '/run/containerd/runc', "/run/containerd/runc/$Namespace") @($Namespace)
    $config = [IO.Path]::Combine($Dir, 'config.toml'); $address = [IO.Path]::Combine($Dir, 'containerd.sock')
    [IO.File]::WriteAllText($config, @"
# containerd 1.6 config: everything under $Dir, cgroupfs (no systemd), no CRI
version = 2
root = "$Dir/root"
state = "$Dir/state"
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]
[cgroup]
  path = ""
[grpc]
  address = "$address"
[ttrpc]
  address = "$address.ttrpc"
[debug]
  address = ""
  level = "debug"
[metrics]
  address = ""
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$Dir/opt"
  [plugins."io.containerd.gc.v1.scheduler"]
    pause_threshold = 0.02
  # loaded only because the tasks service needs it in 1.6; unused (v2 shims are used)
  [plugins."io.containerd.runtime.v1.linux"]
    runtime_root = "$Dir/runtime-v1-root"
"@)
    $c = [pscustomobject]@{
        Dir = $Dir; Address = $address; Namespace = $Namespace; Pid = 0; Process = $null; Timeout = $TimeoutSeconds; Wedged = $null
        RuncRoot = [IO.Path]::Combine($Dir, 'runc-root'); FifoDir = [IO.Path]::Combine($Dir, 'fifo')
        Log = [IO.Path]::Combine($Dir, 'containerd.log'); Before = $before
        Ids = [Collections.Generic.HashSet[string]]::new() # the containers Invoke-CtrRun made, for their shim sockets
    }
    [IO.Directory]::CreateDirectory($c.FifoDir) | Out-Null
    # setsid: its own session, so a Ctrl-C meant for the test run does not end the daemon before the cleanup does;
    # stdio to a log file, not to pipes nobody would read (a full pipe would stop the daemon's debug logging).
    $start = [Diagnostics.ProcessStartInfo]::new('setsid')
    foreach ($a in 'sh', '-c', 'exec containerd --config "$0" </dev/null >>"$1" 2>&1', $config, $c.Log) { $start.ArgumentList.Add($a) }
    $start.UseShellExecute = $false; $start.WorkingDirectory = $Dir
    $c.Process = [Diagnostics.Process]::Start($start); $c.Pid = $c.Process.Id # setsid, not a group leader here, execs in place
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    do {
        Start-Sleep -Milliseconds 100
        $up = [IO.File]::Exists($address) -and (Invoke-Bounded ctr @('--address', $address, 'version') -TimeoutSeconds 3).ExitCode -eq 0
    } until ($up -or $c.Process.HasExited -or [DateTime]::UtcNow -gt $deadline)
    if (-not $up) {
        $log = Get-Content $c.Log -Tail 20 -ErrorAction Ignore
        Stop-TestContainerd $c
        throw "containerd did not come up on $address within 10 s:`n$($log -join "`n")"
    }
    $c
}

# ctr against this daemon and namespace, bounded by its timeout. A plain function, so that -t, -d, -s and --rm reach
# ctr as they are instead of binding to PowerShell parameters (-t would be taken for a -TimeoutSeconds). `run -t` and
# `task exec -t` are run under script, which gives them the terminal they need.
function Invoke-Ctr {
    $c = $args[0]; $rest = @($args | Select-Object -Skip 1 | ForEach-Object { $_ })
    $terminal = $false
    if ($rest.Count -ge 1 -and $rest[0] -eq 'run') { $terminal = Test-TtyOption (Split-EngineOptions @($rest | Select-Object -Skip 1))[0] }
    if ($rest.Count -ge 2 -and $rest[0] -in 'task', 't', 'tasks' -and $rest[1] -eq 'exec') { $terminal = Test-TtyOption (Split-EngineOptions @($rest | Select-Object -Skip 2))[0] }
    Invoke-EngineCall $c ctr (@('--address', $c.Address, '--namespace', $c.Namespace) + $rest) -Terminal:$terminal
}

# ctr run of the test image with the runtime under test: the runc v2 shim (--runc-binary needs it) calls $Runtime with
# --root <Dir>/runc-root/<namespace>; the fifos go to <Dir>/fifo; the container's cgroup is /<namespace>/<Id>. The shim
# itself still uses /run/containerd/s (its sockets), whatever is given.
function Invoke-CtrRun {
    param([Parameter(Mandatory)] $Containerd, [Parameter(Mandatory)] [string] $Runtime, [Parameter(Mandatory)] [string] $Id,
        [Parameter(Mandatory)] [string[]] $Command, [switch] $Remove, [switch] $Detach, [switch] $Tty)
    $options = @('run')
    if ($Remove) { $options += '--rm' }
    if ($Detach) { $options += '-d' }
    if ($Tty) { $options += '-t' }
    $null = $Containerd.Ids.Add($Id)
    $options += '--runtime', 'io.containerd.runc.v2', '--runc-binary', $Runtime, '--runc-root', $Containerd.RuncRoot,
        '--fifo-dir', $Containerd.FifoDir, '--cgroup', "/$($Containerd.Namespace)/$Id"
    Invoke-Ctr $Containerd @($options + $script:EngineImageRef + $Id + $Command)
}

# A task as `ctr task ls` shows it (Pid, Status), or $null when there is none.
function Get-CtrTask($Containerd, [string] $Id) {
    $r = Invoke-Ctr $Containerd task ls
    foreach ($line in $r.Out -split "`n" | Select-Object -Skip 1) {
        $f = -split $line
        if ($f.Count -ge 3 -and $f[0] -eq $Id) { return [pscustomobject]@{ Pid = [int]$f[1]; Status = $f[2] } }
    }
}

# Whether a process's cgroup is frozen, from the cgroup it is in (/proc/<pid>/cgroup): the v1 freezer's
# freezer.state, else cgroup v2's cgroup.events. Path is that cgroup, to compare with the one asked for.
function Get-FreezerState([int] $ProcessId) {
    $lines = Get-Content "/proc/$ProcessId/cgroup" -ErrorAction Ignore
    $v1 = $lines | Where-Object { $_ -match '^\d+:freezer:(.*)$' } | Select-Object -First 1
    if ($v1) {
        $path = ($v1 -split ':', 3)[2]
        return [pscustomobject]@{ Path = $path; State = (Get-Content "/sys/fs/cgroup/freezer$path/freezer.state" -ErrorAction Ignore) }
    }
    $v2 = $lines | Where-Object { $_ -like '0::*' } | Select-Object -First 1
    if ($v2) {
        $path = $v2.Substring(3); $root = if (Test-Path /sys/fs/cgroup/unified) { '/sys/fs/cgroup/unified' } else { '/sys/fs/cgroup' }
        $frozen = (Get-Content "$root$path/cgroup.events" -ErrorAction Ignore) -contains 'frozen 1'
        return [pscustomobject]@{ Path = $path; State = $(if ($frozen) { 'FROZEN' } else { 'THAWED' }) }
    }
}

# Ends what Start-TestContainerd began, whatever state the tests left: its tasks killed and deleted, its containers
# deleted, the daemon stopped (its pid only), shims and container processes it left killed, mounts under its
# directory undone, the cgroup tree named after its namespace removed, the /run/containerd directories it created
# removed when empty, and its directory removed.
function Stop-TestContainerd($Containerd) {
    $c = $Containerd
    if (-not $c) { return }
    if ($c.Process -and -not $c.Process.HasExited) {
        # Straight to ctr, 5 s a call: the cleanup runs even when the tests found the engine wedged.
        $ctr = { Invoke-Bounded ctr (@('--address', $c.Address, '--namespace', $c.Namespace) + $args) -TimeoutSeconds 5 }
        foreach ($t in @((& $ctr task ls -q).Out -split "`n" | Where-Object { $_ })) {
            & $ctr task kill -s SIGKILL $t | Out-Null
            & $ctr task delete --force $t | Out-Null
        }
        foreach ($id in @((& $ctr container ls -q).Out -split "`n" | Where-Object { $_ })) { & $ctr container delete $id | Out-Null }
        Invoke-Bounded kill @('-TERM', "$($c.Pid)") | Out-Null
        if (-not $c.Process.WaitForExit(10000)) { Stop-Process -Id $c.Pid -Force -ErrorAction Ignore; $null = $c.Process.WaitForExit(5000) }
    }
    Stop-ProcessesNaming $c.Dir -GraceSeconds 2 # shims outlive the daemon by design
    # A shim killed here leaves its socket: /run/containerd/s/<sha256 of "<address>/<namespace>/<id>">, as 1.6 names it.
    foreach ($id in $c.Ids) {
        $hash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes("$($c.Address)/$($c.Namespace)/$id"))).ToLowerInvariant()
        Remove-Item "/run/containerd/s/$hash" -Force -ErrorAction Ignore
    }
    # Its cgroups: the tree named after its namespace. A cps- name is this harness's own; any other (default) may be
    # shared, so then only the empty cgroups it made go.
    if ($c.Namespace.StartsWith('cps-')) { Remove-CgroupTree $c.Namespace -Kill }
    elseif (-not $c.Before.Cgroups) { Remove-CgroupTree $c.Namespace }
    Remove-NewEmptyDirs @('/run/containerd', '/run/containerd/s', '/run/containerd/fifo', '/run/containerd/runc', "/run/containerd/runc/$($c.Namespace)") $c.Before.RunDirs
    Remove-EngineDir $c.Dir
}

# podman 4.3 with storage (vfs), run root, tmp, events, volumes and network config under $Dir and file locks, as
# ../shared/engines/containers.conf and storage.conf; no registry to search. Environment holds the variables that point
# podman at them (CONTAINERS_CONF, CONTAINERS_STORAGE_CONF, CONTAINERS_REGISTRIES_CONF); Invoke-Podman passes them to
# each podman it starts, so this session's own environment is left alone. CgroupParent (/cps-pod-<pid>) takes the
# containers and conmon, which podman would otherwise put under libpod_parent and leave there.
function Initialize-TestPodman([string] $Dir, [string] $Runtime, [string] $RootFs, [int] $TimeoutSeconds = 20) {
    [IO.Directory]::CreateDirectory($Dir) | Out-Null
    $name = [IO.Path]::GetFileName($Runtime)
    $runDirs = @('/run/runc', '/run/crun', "/run/$name", '/run/containers', '/run/containers/networks', '/run/libpod') | Sort-Object -Unique
    $p = [pscustomobject]@{
        Dir = $Dir; Runtime = $Runtime; RootFs = $RootFs; CgroupParent = "/cps-pod-$PID"; Timeout = $TimeoutSeconds; Wedged = $null
        RunDirs = $runDirs; Before = Get-OutsideState $runDirs @('libpod_parent', "cps-pod-$PID")
        Environment = @{
            CONTAINERS_CONF = [IO.Path]::Combine($Dir, 'containers.conf')
            CONTAINERS_STORAGE_CONF = [IO.Path]::Combine($Dir, 'storage.conf')
            CONTAINERS_REGISTRIES_CONF = [IO.Path]::Combine($Dir, 'registries.conf')
        }
    }
    [IO.File]::WriteAllText($p.Environment.CONTAINERS_CONF, @"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$Dir/events.log"
tmp_dir = "$Dir/tmp"
volume_path = "$Dir/volumes"
lock_type = "file"
[network]
network_config_dir = "$Dir/net"
"@)
    [IO.File]::WriteAllText($p.Environment.CONTAINERS_STORAGE_CONF, @"
[storage]
driver = "vfs"
runroot = "$Dir/runroot"
graphroot = "$Dir/root"
"@)
    [IO.File]::WriteAllText($p.Environment.CONTAINERS_REGISTRIES_CONF, "unqualified-search-registries = []`n")
    $p
}

# podman with the runtime under test and cgroupfs, bounded by the timeout. `run` gets what podman 4.3 needs on this
# host (ulimits it can set, no network) and the cgroup parent, and runs the rootfs (--rootfs: the first positional
# argument is a root filesystem, not an image), so the caller gives only its options and the command:
#   Invoke-Podman $p run --rm echo hi      Invoke-Podman $p exec cps-p1 echo hi      Invoke-Podman $p stop -t 2 cps-p1
# `run -t`/`exec -t` are run under script. A plain function, for the reason Invoke-Ctr is one.
function Invoke-Podman {
    $p = $args[0]; $rest = @($args | Select-Object -Skip 1 | ForEach-Object { $_ })
    $terminal = $false
    if ($rest.Count -ge 1 -and $rest[0] -eq 'run') {
        $parts = Split-EngineOptions @($rest | Select-Object -Skip 1); $options = $parts[0]; $positional = $parts[1]
        $terminal = Test-TtyOption $options
        $rest = @('run', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--network', 'none', '--cgroup-parent', $p.CgroupParent) +
            $options + '--rootfs' + $p.RootFs + $positional
    }
    elseif ($rest.Count -ge 1 -and $rest[0] -eq 'exec') {
        $terminal = Test-TtyOption (Split-EngineOptions @($rest | Select-Object -Skip 1))[0]
    }
    Invoke-EngineCall $p podman (@('--runtime', $p.Runtime, '--cgroup-manager', 'cgroupfs') + $rest) -Terminal:$terminal
}

# Ends what the podman tests made: its containers removed (force, no grace), conmon and podman's cleanup commands that
# name its directory given a moment and then killed, the cgroup parent removed (and a libpod_parent it made despite
# it), the /run directories it created removed when empty (podman calls the runtime without --root, so runc's state
# is in /run/runc), and its directory removed.
function Remove-TestPodman($Podman) {
    $p = $Podman
    if (-not $p) { return }
    if ([IO.File]::Exists($p.Environment.CONTAINERS_CONF)) {
        # Straight to podman, not through Invoke-Podman: the cleanup runs even when the tests found podman wedged.
        Invoke-Bounded podman @('--runtime', $p.Runtime, '--cgroup-manager', 'cgroupfs', 'rm', '--all', '--force', '--time', '0') -TimeoutSeconds 15 -Environment $p.Environment | Out-Null
    }
    Stop-ProcessesNaming $p.Dir -GraceSeconds 5
    Remove-CgroupTree $p.CgroupParent -Kill
    if (-not @($p.Before.Cgroups | Where-Object { $_ -like '*/libpod_parent' })) { Remove-CgroupTree libpod_parent }
    Remove-NewEmptyDirs $p.RunDirs $p.Before.RunDirs
    Remove-EngineDir $p.Dir
}
