# Pester 5: the user's bind mounts where the runtime mounts a fresh tmpfs of its own (/tmp).
BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force
    $isRoot = (id -u) -eq '0'
    $tag = "cps-mounts-$PID"
    $tmp = [IO.Path]::GetTempPath()
    if ($isRoot) {
        $rootfs = New-ContainerRootFs ([IO.Path]::Combine($tmp, "$tag-rootfs")) -Busybox
        $source = New-Item -ItemType Directory ([IO.Path]::Combine($tmp, "$tag-source"))
        Set-Content ([IO.Path]::Combine($source.FullName, 'note')) 'from the host'
    }
}

AfterAll {
    Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force
    Remove-Item ([IO.Path]::Combine($tmp, "$tag-*")) -Recurse -Force -ErrorAction Ignore
}

Describe 'A bind mount below /tmp' {
    It 'is seen there, over the container''s own tmpfs, and leaves the rootfs as it was' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $seen = New-Container $rootfs.Path -Name "$tag-dir" -Mount "$($source.FullName):/tmp/deep/data:ro" -Command sh, -c, 'cat /tmp/deep/data/note; touch /tmp/deep/data/x 2>/dev/null || echo read-only' |
            Start-Container -Attach -Remove
        $seen | Should -Be 'from the host', 'read-only'
        Test-Path ([IO.Path]::Combine($rootfs.Path, 'tmp', 'deep')) | Should -BeFalse
    }

    It 'works for a single file too' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers need root'; return }
        $file = [IO.Path]::Combine($source.FullName, 'note')
        New-Container $rootfs.Path -Name "$tag-file" -Mount "${file}:/tmp/note" -Command cat, /tmp/note | Start-Container -Attach -Remove |
            Should -Be 'from the host'
    }
}
