# The README's walk-through, run as a newcomer types it: every ```powershell block below its heading "A walk-through",
# in order, in one session whose location is the checkout. A block that writes an error fails its test; the blocks after it still run, so one
# broken snippet shows as one failure. AfterAll removes whatever the blocks made, also when one failed half-way.
BeforeDiscovery {
    $readme = Get-Content -Raw ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'README.md'))
    $walkthrough = $readme.IndexOf('## A walk-through')
    if ($walkthrough -lt 0) { throw "README.md has no '## A walk-through' section" }
    $number = 0
    $blocks = foreach ($match in [regex]::Matches($readme, '(?ms)^```powershell\r?\n(.*?)^```', 'None', [timespan]::FromSeconds(5)) | Where-Object Index -gt $walkthrough) {
        $number++
        $code = $match.Groups[1].Value
        # The heading above the block names the test.
        $heading = [regex]::Matches($readme.Substring(0, $match.Index), '(?m)^#+ (.+)$') | Select-Object -Last 1
        @{ Number = $number; Code = $code; Section = $heading.Groups[1].Value.Trim() }
    }
}

Describe 'README walk-through' {
    BeforeAll {
        $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
        $root = [Environment]::UserName -eq 'root'
        # A session of its own, as a user's pwsh is: variables carry from one block to the next.
        $session = [powershell]::Create()
        $null = $session.AddScript("Set-Location '$repo'").Invoke()

        function Invoke-Block([string] $code) {
            $session.Commands.Clear()
            $session.Streams.ClearStreams()
            $output = $session.AddScript($code).Invoke()
            [pscustomobject]@{ Output = $output; Errors = @($session.Streams.Error) }
        }
    }

    It '<Section> (block <Number>) runs without an error' -ForEach $blocks {
        if (-not $root) { Set-ItResult -Skipped -Because 'the walk-through makes containers, links and cgroups: run as root' }
        $result = Invoke-Block $Code
        $result.Errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" } | Should -BeNullOrEmpty
    }

    AfterAll {
        if ($root) {
            # What the walk-through makes, in case a block failed before its own cleanup.
            $null = Invoke-Block @'
Remove-Container web, sidecar, api, db -Force -ErrorAction Ignore
Remove-ContainerNetwork backend, frontend -Force -ErrorAction Ignore
Get-NetworkLink cps-vhost, cps-v2host, cps-br0 -ErrorAction Ignore | Remove-NetworkLink -ErrorAction Ignore
Remove-Namespace lab -ErrorAction Ignore
Remove-Cgroup batch -Force -ErrorAction Ignore
Remove-Container b2 -Force -ErrorAction Ignore
Remove-Item ./out/rootfs, ./out/rootfs.tar.gz, ./out/bundle -Recurse -Force -ErrorAction Ignore
Get-ContainerImage box:1 -ErrorAction Ignore | Remove-ContainerImage -Force
'@
        }
        $session.Dispose()
    }
}
