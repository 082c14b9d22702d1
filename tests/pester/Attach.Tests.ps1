# Pester 5: stopping Start-Container -Attach (Ctrl-C in a console, PowerShell.Stop() in a host) passes SIGINT on
# to the container's process, as docker's sig-proxy does, and stops following it.
BeforeAll {
    $module = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')
    Import-Module $module -Force
    $isRoot = (id -u) -eq '0'
    $tag = "cps-attach-$PID"
    $tmp = [IO.Path]::GetTempPath()
    if ($isRoot) { $rootfs = New-ContainerRootFs ([IO.Path]::Combine($tmp, "$tag-rootfs")) -Busybox }
}

AfterAll {
    Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force
    Remove-Item ([IO.Path]::Combine($tmp, "$tag-*")) -Recurse -Force -ErrorAction Ignore
}

Describe 'Stopping an attached Start-Container' {
    It 'sends SIGINT to the container, whose handler runs and whose exit is recorded' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $name = "$tag-int"
        New-Container $rootfs.Path -Name $name -Command sh, -c, 'trap "echo got-int; exit 5" INT; echo ready; while :; do sleep 0.1; done' | Out-Null
        $shell = [powershell]::Create().AddScript("Import-Module '$module'; Start-Container $name -Attach")
        $running = $shell.BeginInvoke()
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ((Get-ContainerLog $name -ErrorAction Ignore).Text -notcontains 'ready' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $shell.Stop()
        }
        finally {
            $shell.Dispose()
        }
        $ended = Wait-Container $name -Timeout 10 -ErrorAction Stop
        $ended.ExitCode | Should -Be 5
        (Get-ContainerLog $name).Text | Should -Contain 'got-int'
    }
}
