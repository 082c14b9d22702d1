# Pester 5: what ps shows of a running container's shim (./build.sh test runs every file here).
BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force
    $isRoot = [Environment]::UserName -eq 'root'
    $unique = [Guid]::NewGuid().ToString('N').Substring(0, 8)
    $name = "cps-title-$unique"
    $rootfsPath = [IO.Path]::Combine([IO.Path]::GetTempPath(), "cps-title-rootfs-$unique")
    if ($isRoot) {
        $rootfs = New-ContainerRootFs $rootfsPath -Busybox
        $container = New-Container $rootfs.Path -Name $name -Command sleep, 60 | Start-Container
        # The shim cloned the container's process: it is its parent (/proc/PID/stat field 4, after comm's last ')').
        $stat = [IO.File]::ReadAllText("/proc/$($container.Pid)/stat")
        $shimPid = [int]$stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')[1]
    }
}

AfterAll {
    if ($isRoot) {
        Remove-Container $name -Force -ErrorAction Ignore
        Remove-Item $rootfsPath -Recurse -Force -ErrorAction Ignore
    }
}

Describe 'A running container''s shim as ps shows it' {
    It 'names the container by id and name in its command line, as conmon does' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'needs root: it runs a container' }
        $arguments = [IO.File]::ReadAllText("/proc/$shimPid/cmdline").TrimEnd([char]0).Split([char]0)
        $arguments | Should -Be @('containerps-runtime', 'shim', $container.Id, $name)
    }

    It 'carries the container''s name as its process name, for top and ps -o comm' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'needs root: it runs a container' }
        # The kernel keeps 15 bytes of a process name.
        [IO.File]::ReadAllText("/proc/$shimPid/comm").TrimEnd("`n") | Should -Be "cps/$name".Substring(0, 15)
    }
}
