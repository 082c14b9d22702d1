# The cgroup v2 acceptance suite (tests/pester/CgroupV2.Tests.ps1) on a kernel with cgroup v2 only: this host binds
# its controllers to v1 and cannot unbind them, so cg2vm.sh boots a throw-away QEMU guest whose root is this host's /
# (read-only), and the built module runs there unchanged. Returns the guest's counts for the suite's closing line;
# where no guest can run here it returns one skip and says why.
param([Parameter(Mandatory)] [string] $Repo)

# The shared/ folder beside the checkout holds it, for developers and CI alike.
$vm = if ($env:CPS_CG2VM) { $env:CPS_CG2VM } else { [IO.Path]::GetFullPath([IO.Path]::Combine($Repo, '..', 'shared', 'cg2vm', 'cg2vm.sh')) }
function Skip([string] $Why) {
    Write-Host "cgroup v2 guest suite skipped: $Why"
    [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 1; FailedNames = @() }
}
if (-not (Test-Path $vm)) { return Skip "no cg2vm.sh at $vm (set CPS_CG2VM to its path)" }
if ((id -u) -ne '0') { return Skip 'the guest and its setup need root' }

$out = [IO.Path]::Combine($Repo, 'out', 'cgroupv2')
Remove-Item $out -Recurse -Force -ErrorAction Ignore
$null = New-Item -ItemType Directory $out
$counts = [IO.Path]::Combine($out, 'counts.json')
# Emulated (no nested KVM), pwsh and Pester take about a minute to start in the guest; the suite about three more.
# A 32 MiB scratch disk is /dev/vda for io.max.
$env:CG2VM_RW = $out; $env:CG2VM_DISK = '32'; $env:CG2VM_TIMEOUT = '480'; $env:CG2VM_TIME = '1'
try {
    # To the host, not the pipeline: the caller takes this script's output as the counts.
    & $vm "./.build/bin/pwsh -NoProfile -File ./build/Invoke-GuestSuite.ps1 -CountsPath '$counts'" | Out-Host
    $exitCode = $LASTEXITCODE
}
finally {
    'CG2VM_RW', 'CG2VM_DISK', 'CG2VM_TIMEOUT', 'CG2VM_TIME' | ForEach-Object { Remove-Item "env:$_" -ErrorAction Ignore }
}
if (-not (Test-Path $counts)) {
    # The guest did not finish the suite (timeout 124, a crash, qemu missing): one failure, so CI cannot pass on it.
    Write-Host "cgroup v2 guest suite reported no results (cg2vm.sh exit code $exitCode)"
    return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; FailedNames = @('cgroup v2 guest suite: no results') }
}
Get-Content -Raw $counts | ConvertFrom-Json
