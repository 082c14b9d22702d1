# Dot-sourced by the Pester files that audit the host around a change: what container records, names, cgroups,
# mounts, cps- links, leases on one network and matching processes there are, to compare before and after.

function Get-HostState([string] $Store, [string] $Network, [string] $Processes) {
    [ordered]@{
        Records = @(Get-ChildItem $Store -Directory -ErrorAction Ignore | Where-Object Name -Match '^[0-9a-f]{64}$').Name
        Names = @(Get-ChildItem ([IO.Path]::Combine($Store, 'names')) -ErrorAction Ignore).Name
        Cgroups = @(Get-ChildItem /sys/fs/cgroup/memory/containerps, /sys/fs/cgroup/unified/containerps -Directory -ErrorAction Ignore).FullName
        Mounts = @(Get-Content /proc/self/mountinfo | Where-Object { $_ -like "*$Store/*" })
        Links = @(ip -o link show | ForEach-Object { ($_ -split ': ')[1] -replace '@.*' } | Where-Object { $_ -like 'cps-*' })
        Leases = @((Get-ContainerNetwork $Network).Attachments.ContainerId)
        Processes = @(pgrep -f $Processes)
    }
}

# Fails, naming the kind, when $After holds anything $Before did not.
function Assert-NothingNew($Before, $After, [string] $Cause) {
    foreach ($kind in $Before.Keys) {
        @($After[$kind] | Where-Object { $_ -notin $Before[$kind] }) | Should -BeNullOrEmpty -Because "$kind left by $Cause"
    }
}
