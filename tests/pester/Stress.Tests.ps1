# Pester 5: 512 operations at once (issue 11): 4 PowerShell processes, 8 runspaces each, every runspace creating,
# starting, exec'ing into and removing 4 containers in turn, half of them on one container network. Every operation
# must succeed, and the host must be left as it was found.
BeforeAll {
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $module = [IO.Path]::Combine($repo, 'ContainerPS.psd1')
    Import-Module $module -Force
    $isRoot = (id -u) -eq '0'
    $tag = "cps-stress-$PID"
    $store = if ($env:CONTAINERPS_ROOT) { $env:CONTAINERPS_ROOT } else { '/run/containerps' }
    $tmp = [IO.Path]::GetTempPath()
    . ([IO.Path]::Combine($PSScriptRoot, 'ChildPwsh.ps1'))
    $pwsh = Get-ChildPwsh $repo
    if ($isRoot) {
        $rootfs = New-ContainerRootFs ([IO.Path]::Combine($tmp, "$tag-rootfs")) -Busybox
        $network = New-ContainerNetwork "$tag-net" -Subnet "10.$(Get-Random -Minimum 150 -Maximum 200).$(Get-Random -Maximum 250).0/24"
    }

    # One process: 8 runspaces, 4 lifecycles each; prints one line per failed operation and then "done N".
    $worker = [IO.Path]::Combine($tmp, "$tag-worker.ps1")
    Set-Content $worker @'
param($Module, $RootFs, $Prefix, $Network)
$pool = [runspacefactory]::CreateRunspacePool(8, 8)
$pool.Open()
$lifecycle = {
    param($Module, $RootFs, $Prefix, $Network, $Runspace)
    Import-Module $Module
    $ok = 0
    foreach ($i in 1..4) {
        $name = "$Prefix-r$Runspace-$i"
        $on = if ($Runspace % 2) { @{ Network = $Network } } else { @{} }
        try {
            $c = New-Container $RootFs -Name $name -Command sleep, 30 @on -ErrorAction Stop; $ok++
            $c | Start-Container -ErrorAction Stop | Out-Null; $ok++
            $said = Invoke-ContainerCommand $name -Command echo, "hi $i" -ErrorAction Stop
            if ($said -ne "hi $i") { throw "exec said '$said'" }
            $ok++
            Remove-Container $name -Force -ErrorAction Stop; $ok++
        }
        catch { "failed $name after $ok operations: $($_.FullyQualifiedErrorId): $_" }
    }
    "ok $ok"
}
$jobs = foreach ($r in 1..8) {
    $ps = [powershell]::Create().AddScript($lifecycle).AddArgument($Module).AddArgument($RootFs).AddArgument($Prefix).AddArgument($Network).AddArgument($r)
    $ps.RunspacePool = $pool
    [pscustomobject]@{ Shell = $ps; Handle = $ps.BeginInvoke() }
}
$done = 0
foreach ($job in $jobs) {
    foreach ($line in $job.Shell.EndInvoke($job.Handle)) {
        if ($line -match '^ok (\d+)$') { $done += [int]$Matches[1] } else { $line }
    }
    foreach ($e in $job.Shell.Streams.Error) { "error $e" }
}
"done $done"
'@

    # What a change leaves on the host, compared before and after.
    . ([IO.Path]::Combine($PSScriptRoot, 'HostState.ps1'))
}

AfterAll {
    Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force -ErrorAction Continue
    if ($isRoot) { Remove-ContainerNetwork "$tag-net" -Force -ErrorAction Continue }
    Remove-Item ([IO.Path]::Combine($tmp, "$tag-*")) -Recurse -Force -ErrorAction Ignore
}

Describe '512 operations from 4 processes and 32 runspaces at once' {
    It 'all succeed, and leave the host as it was' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers and networks need root'; return }
        $before = Get-HostState -Store $store -Network "$tag-net" -Processes 'sleep 30'
        $processes = foreach ($p in 1..4) {
            $start = [Diagnostics.ProcessStartInfo]::new($pwsh)
            foreach ($a in '-NoProfile', '-NonInteractive', '-File', $worker, '-Module', $module, '-RootFs', $rootfs.Path, '-Prefix', "$tag-p$p", '-Network', "$tag-net") {
                $start.ArgumentList.Add($a)
            }
            $start.RedirectStandardOutput = $true
            [Diagnostics.Process]::Start($start)
        }
        $lines = foreach ($process in $processes) {
            $process.StandardOutput.ReadToEnd() -split "`n" | Where-Object { $_ }
            $process.WaitForExit()
        }
        $lines | Where-Object { $_ -notmatch '^done ' } | Should -BeNullOrEmpty
        ($lines | Where-Object { $_ -match '^done (\d+)$' } | ForEach-Object { [int]($_ -replace 'done ') } | Measure-Object -Sum).Sum | Should -Be 512

        Assert-NothingNew $before (Get-HostState -Store $store -Network "$tag-net" -Processes 'sleep 30') "the stress"
    }
}
