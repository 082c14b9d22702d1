# Dot-sourced by the Pester files that start another pwsh: the pwsh on PATH, else the one ./build.sh restored
# (.build/bin/pwsh, a shim to the PowerShell .NET tool).

function Get-ChildPwsh([string] $Repo) {
    $onPath = (Get-Command pwsh -CommandType Application -ErrorAction Ignore | Select-Object -First 1).Source
    if ($onPath) { $onPath } else { [IO.Path]::Combine($Repo, '.build', 'bin', 'pwsh') }
}
