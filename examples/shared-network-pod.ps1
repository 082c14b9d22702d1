<#
.SYNOPSIS
    Two containers sharing one network namespace, as pods do: a server and a client that reaches it on 127.0.0.1.
.DESCRIPTION
    The server container gets its own namespaces; the client joins the server's net namespace and keeps the rest of
    its own. Returns what the server received.
#>
[CmdletBinding()]
param([int] $Port = 8080)
$ErrorActionPreference = 'Stop'
Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'ContainerPS.psd1'))

$pod = "cps-pod-$([Guid]::NewGuid().ToString('N').Substring(0, 6))"
$rootfs = [IO.Path]::Combine([IO.Path]::GetTempPath(), $pod)
try {
    New-ContainerRootFs -Path $rootfs -Busybox | Out-Null
    # busybox `nc -l` ends at its stdin's end of file, and a container's stdin is /dev/null: it could end before the
    # client's line is read. An open pipe for stdin keeps it listening until the client closes (2 s at most).
    $server = New-Container -RootFs $rootfs -Name "$pod-server" -Command sh, -c, "sleep 2 | nc -l -p $Port" | Start-Container
    $net = Get-Namespace -Container $server.Name -Kind Net
    New-Container -RootFs $rootfs -Name "$pod-client" -Namespace $net `
        -Command sh, -c, "for i in 1 2 3 4 5 6 7 8 9 10; do echo hello from the client | nc 127.0.0.1 $Port && exit 0; sleep 0.2; done; exit 1" |
        Start-Container -Attach
    $server | Wait-Container -Timeout 10 | Out-Null
    [pscustomobject]@{
        Pod            = $pod
        ClientExitCode = $LASTEXITCODE
        Received       = @(Get-ContainerLog $server.Name | ForEach-Object Text)
        SharedInode    = $net.Inode
    }
}
finally {
    Get-Container "$pod-*" -ErrorAction Ignore | Remove-Container -Force
    if ([IO.Directory]::Exists($rootfs)) { [IO.Directory]::Delete($rootfs, $true) }
}
