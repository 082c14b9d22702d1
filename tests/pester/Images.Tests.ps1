# Pester 5: images (issue 12). Real formats made by real tools: an OCI layout by umoci, a docker-archive by skopeo,
# layouts with whiteouts and opaque directories written here with tar; imported into a store of the test's own
# (CONTAINERPS_IMAGE_ROOT), run as containers on overlayfs, and checked from the host: records, blobs, layers, mounts.
BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
    $script:haveTools = [bool](Get-Command umoci -ErrorAction Ignore) -and [bool](Get-Command skopeo -ErrorAction Ignore)
}

BeforeAll {
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $module = [IO.Path]::Combine($repo, 'ContainerPS.psd1')
    Import-Module $module -Force
    . ([IO.Path]::Combine($PSScriptRoot, 'ChildPwsh.ps1'))
    $pwsh = Get-ChildPwsh $repo
    $work = [IO.Directory]::CreateTempSubdirectory('cps-images-').FullName
    $env:CONTAINERPS_IMAGE_ROOT = [IO.Path]::Combine($work, 'store')
    $tag = "cps-img-$PID"

    . ([IO.Path]::Combine($PSScriptRoot, 'ImageFixtures.ps1'))

    if ($isRoot) {
        # The base layer: busybox and its links, a file a later layer deletes, a directory a later layer makes opaque.
        $base = [IO.Path]::Combine($work, 'base')
        New-ContainerRootFs $base -Busybox | Out-Null
        Set-Content ([IO.Path]::Combine($base, 'etc', 'motd')) 'from the base layer'
        New-Item -ItemType Directory ([IO.Path]::Combine($base, 'srv', 'data')) -Force | Out-Null
        Set-Content ([IO.Path]::Combine($base, 'srv', 'data', 'old')) 'hidden by the opaque upper'
        $upper = [IO.Path]::Combine($work, 'upper')
        New-Item -ItemType Directory ([IO.Path]::Combine($upper, 'etc')), ([IO.Path]::Combine($upper, 'srv', 'data')) -Force | Out-Null
        New-Item -ItemType File ([IO.Path]::Combine($upper, 'etc', '.wh.motd')) | Out-Null
        New-Item -ItemType File ([IO.Path]::Combine($upper, 'srv', 'data', '.wh..wh..opq')) | Out-Null
        Set-Content ([IO.Path]::Combine($upper, 'srv', 'data', 'new')) 'from the upper layer'
        $layered = [IO.Path]::Combine($work, 'layered')
        New-Layout $layered @($base, $upper) @('sh', '-c', 'echo "cmd from the image $FROM_IMAGE"') -Scratch $work
    }
}

AfterAll {
    Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force -ErrorAction Ignore
    if (Test-Path $env:CONTAINERPS_IMAGE_ROOT) { Get-ContainerImage | Remove-ContainerImage -Force -ErrorAction Ignore }
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
    Remove-SkopeoData
    Remove-Item Env:CONTAINERPS_IMAGE_ROOT
}

Describe 'Import-ContainerImage and containers on overlayfs' -Skip:(-not $isRoot) {
    AfterEach {
        Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force
        Get-ContainerImage | Remove-ContainerImage -Force
    }

    It 'imports a layout, runs the image''s Cmd with its Env, and overrides both from the command line' {
        $image = Import-ContainerImage $layered -Name "$tag/app:1"

        $image.Names | Should -Be @("$tag/app:1")
        $image.Layers.Count | Should -Be 2
        (Get-ContainerImage "$tag/app:1").Id | Should -Be $image.Id
        New-Container -Image "$tag/app:1" -Name "$tag-a" | Start-Container -Attach -Remove | Should -Be 'cmd from the image yes'
        New-Container -Image $image.Id.Substring(7, 12) -Name "$tag-b" -Command sh, -c, 'echo $FROM_IMAGE $EXTRA' -Environment @{ EXTRA = 'given' } |
            Start-Container -Attach -Remove | Should -Be 'yes given'
        New-Container -Image "$tag/app:1" -Name "$tag-c" -Entrypoint echo -Command entry | Start-Container -Attach -Remove | Should -Be 'entry'
    }

    It 'runs as the image''s User, looked up in the image''s /etc/passwd, in its WorkingDir, unless told otherwise' {
        $userLayout = [IO.Path]::Combine($work, "user-$(Get-Random)")
        New-Layout $userLayout @($base) @('sh', '-c', 'echo $(id -un) $(pwd)') -Scratch $work -User nobody
        $image = Import-ContainerImage $userLayout -Name "$tag/user:1"

        New-Container -Image $image -Name "$tag-u1" | Start-Container -Attach -Remove | Should -Be 'nobody /etc'
        New-Container -Image $image -Name "$tag-u2" -User root -WorkingDirectory / | Start-Container -Attach -Remove | Should -Be 'root /'
    }

    It 'applies whiteouts and opaque directories, keeps containers apart, and never writes a layer' {
        $image = Import-ContainerImage $layered -Name "$tag/app:1"
        $layerFiles = { Get-ChildItem -Recurse -Force ([IO.Path]::Combine($env:CONTAINERPS_IMAGE_ROOT, 'layers')) | ForEach-Object { "$($_.FullName) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" } }
        $before = & $layerFiles

        $one = New-Container -Image $image -Name "$tag-one" -Command sh, -c, 'echo mine > /srv/data/new; rm /bin/cat; ls /srv/data; test -e /etc/motd && echo motd-visible; sleep 60' | Start-Container
        Start-Sleep -Milliseconds 300
        New-Container -Image $image -Name "$tag-two" -Command sh, -c, 'cat /srv/data/new; test -e /bin/cat && echo cat-there' | Start-Container -Attach -Remove |
            Should -Be @('from the upper layer', 'cat-there')
        Get-ContainerLog $one | ForEach-Object Text | Should -Be @('new')

        $one | Remove-Container -Force
        & $layerFiles | Should -Be $before
    }

    It 'unmounts a container''s root and deletes its writable layer with it' {
        $c = New-Container -Image (Import-ContainerImage $layered -Name "$tag/app:1") -Name "$tag-m" -Command true
        $root = [IO.Path]::Combine($c.RootFs)
        (Get-Content /proc/self/mountinfo) -match [regex]::Escape(" $root ") | Should -HaveCount 1

        $c | Remove-Container -Force

        (Get-Content /proc/self/mountinfo) -match [regex]::Escape($root) | Should -BeNullOrEmpty
        Test-Path ([IO.Path]::GetDirectoryName($root)) | Should -BeFalse
    }

    It 'refuses to remove an image in use unless -Force, and then keeps its layers until the container goes' {
        $image = Import-ContainerImage $layered -Name "$tag/app:1"
        $c = New-Container -Image $image -Name "$tag-u" -Command true

        { Remove-ContainerImage "$tag/app:1" -ErrorAction Stop } | Should -Throw -ErrorId 'ImageInUse,ContainerPS.Commands.RemoveContainerImageCommand'
        $c.ImageId | Should -Be $image.Id
        Get-Container | Where-Object ImageId -eq $image.Id | ForEach-Object Name | Should -Be @("$tag-u")
        Remove-ContainerImage "$tag/app:1" -Force
        Get-ContainerImage | Should -BeNullOrEmpty
        Get-StoreEntries layers | Should -HaveCount 2
        $c | Start-Container -Attach | Out-Null
        $LASTEXITCODE | Should -Be 0

        $c | Remove-Container
        Remove-ContainerImage -Id (Import-ContainerImage $layered -Name "$tag/other:1").Id
        Get-StoreEntries layers | Should -BeNullOrEmpty
        Get-StoreEntries 'blobs/sha256' | Should -BeNullOrEmpty
    }

    It 'takes off one name of several, and removes the image with its last name' {
        Import-ContainerImage $layered -Name "$tag/one:1" | Out-Null
        $image = Import-ContainerImage $layered -Name "$tag/two:1"
        $image.Names | Should -Be @("$tag/one:1", "$tag/two:1")

        Remove-ContainerImage "$tag/one:1"
        (Get-ContainerImage -Id $image.Id).Names | Should -Be @("$tag/two:1")
        Remove-ContainerImage "$tag/two:1"
        Get-ContainerImage | Should -BeNullOrEmpty
    }

    It 'clears the image''s entrypoint with an empty -Entrypoint, and names the tags there are when none is given' {
        Import-ContainerImage $layered -Name "$tag/app:1" | Out-Null

        New-Container -Image "$tag/app:1" -Name "$tag-e" -Entrypoint '' -Command echo, cleared | Start-Container -Attach -Remove | Should -Be 'cleared'
        { New-Container -Image "$tag/app" -Name "$tag-e2" -ErrorAction Stop } | Should -Throw "*$tag/app has the tags 1*"
    }

    It 'moves a name to the image imported last, leaving the other listed without it' {
        $first = Import-ContainerImage $layered -Name "$tag/app:1"
        $rootTar = [IO.Path]::Combine($work, 'root.tar')
        tar -C $base -cf $rootTar .
        $second = Import-ContainerImage $rootTar -Name "$tag/app:1"

        $second.Id | Should -Not -Be $first.Id
        (Get-ContainerImage "$tag/app:1").Id | Should -Be $second.Id
        (Get-ContainerImage -Id $first.Id).Names | Should -BeNullOrEmpty
        New-Container -Image "$tag/app:1" -Name "$tag-r" -Command cat, /etc/motd | Start-Container -Attach -Remove | Should -Be 'from the base layer'
    }

    It 'runs an image that repeats a layer, which overlayfs is given once at its topmost place' {
        $repeat = [IO.Path]::Combine($work, "repeat-$(Get-Random)")
        New-Layout $repeat @($base, $upper, $base) @('cat', '/etc/motd') -Scratch $work

        Import-ContainerImage $repeat -Name "$tag/repeat:1" | New-Container -Name "$tag-rep" | Start-Container -Attach -Remove | Should -Be 'from the base layer'
    }

    It 'lists the other images past a damaged record, and removes that record by its id' {
        $good = Import-ContainerImage $layered -Name "$tag/good:1"
        $record = [IO.Path]::Combine($env:CONTAINERPS_IMAGE_ROOT, 'images', "$('a' * 64).json")
        Set-Content $record '{ "Id": "trunc'

        $listed = Get-ContainerImage -ErrorVariable damaged -ErrorAction SilentlyContinue
        $listed.Id | Should -Be @($good.Id)
        $damaged.FullyQualifiedErrorId | Should -Be 'ImageRecordDamaged,ContainerPS.Commands.GetContainerImageCommand'
        Remove-ContainerImage -Id ('a' * 12)
        Test-Path $record | Should -BeFalse
        (Get-ContainerImage).Id | Should -Be @($good.Id)
    }

    It 'refuses an image with a user namespace, whose maps would leave every file nobody''s' {
        Import-ContainerImage $layered -Name "$tag/app:1" | Out-Null
        { New-Container -Image "$tag/app:1" -Name "$tag-ns" -UidMap 0:100000:65536 -ErrorAction Stop } | Should -Throw -ErrorId 'ImageUserNamespaceUnsupported,ContainerPS.Commands.NewContainerCommand'
        Get-Container "$tag-ns" -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'completes image names with Tab for New-Container -Image and Remove-ContainerImage' {
        Import-ContainerImage $layered -Name "$tag/tab:1" | Out-Null

        foreach ($line in "New-Container -Image $tag/t", "Remove-ContainerImage $tag/t", "Get-ContainerImage $tag/t") {
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("$tag/tab:1")
        }
    }

    It 'checks stored blobs again before use: a config changed on disk stops New-Container and an export' {
        $image = Import-ContainerImage $layered -Name "$tag/app:1"
        [IO.File]::AppendAllText([IO.Path]::Combine($env:CONTAINERPS_IMAGE_ROOT, 'blobs', 'sha256', $image.Id.Substring(7)), ' ')
        $export = [IO.Path]::Combine($work, "damaged-$(Get-Random).tar")

        { New-Container -Image $image -Name "$tag-dmg" -ErrorAction Stop } | Should -Throw -ErrorId 'ImageBlobDamaged,ContainerPS.Commands.NewContainerCommand'
        Get-Container "$tag-dmg" -ErrorAction Ignore | Should -BeNullOrEmpty
        { Export-ContainerImage $image.Id -Path $export -ErrorAction Stop } | Should -Throw -ErrorId 'ImageBlobDamaged,ContainerPS.Commands.ExportContainerImageCommand'
        Test-Path $export | Should -BeFalse
    }

    It 'needs -Name for a root filesystem tar' {
        $rootTar = [IO.Path]::Combine($work, 'unnamed.tar')
        tar -C $base -cf $rootTar .

        { Import-ContainerImage $rootTar -ErrorAction Stop } | Should -Throw -ErrorId 'ImageNameRequired,ContainerPS.Commands.ImportContainerImageCommand'
        Get-ContainerImage | Should -BeNullOrEmpty
    }

    It 'runs as a job and pipes into New-Container' {
        $job = Import-ContainerImage $layered -Name "$tag/job:1" -AsJob
        $image = $job | Wait-Job -Timeout 60 | Receive-Job

        $job.State | Should -Be 'Completed'
        $image.Names | Should -Be @("$tag/job:1")
        Import-ContainerImage $layered -Name "$tag/job:1" | New-Container -Name "$tag-p" | Start-Container -Attach -Remove | Should -Be 'cmd from the image yes'
    }
}

Describe 'Images made by umoci and skopeo' -Skip:(-not $isRoot -or -not $haveTools) {
    BeforeAll {
        $layout = [IO.Path]::Combine($work, 'umoci')
        New-UmociLayout $layout $base $work
        $archive = [IO.Path]::Combine($work, 'web.tar')
        skopeo copy --quiet "oci:${layout}:latest" "docker-archive:${archive}:$tag/web:1"
        if ($LASTEXITCODE) { throw 'skopeo copy failed' }
    }
    AfterEach {
        Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force
        Get-ContainerImage | Remove-ContainerImage -Force
    }

    It 'imports umoci''s layout and serves from it on a published port' {
        $image = Import-ContainerImage $layout -Name "$tag/web:1"
        $subnet = "10.$(Get-Random -Minimum 150 -Maximum 200).$(Get-Random -Maximum 250).0/24"
        $network = New-ContainerNetwork "$tag-net" -Subnet $subnet
        try {
            $port = Get-Random -Minimum 20000 -Maximum 30000
            $c = New-Container -Image $image -Name "$tag-web" -Network $network.Name -Publish "${port}:8080" | Start-Container
            Invoke-ContainerCommand $c -Command sh, -c, 'echo served-from-image > /srv/index.html'
            $body = $null
            foreach ($try in 1..50) {
                try { $body = (Invoke-WebRequest "http://127.0.0.1:$port/index.html" -TimeoutSec 2).Content; break } catch { Start-Sleep -Milliseconds 100 }
            }
            $body.Trim() | Should -Be 'served-from-image'
        }
        finally {
            Get-Container "$tag-web" -ErrorAction Ignore | Remove-Container -Force
            Remove-ContainerNetwork "$tag-net" -Force
        }
    }

    It 'imports skopeo''s docker-archive under its RepoTags with the same config as the layout' {
        $fromLayout = Import-ContainerImage $layout -Name "$tag/layout:1"
        $fromArchive = Import-ContainerImage $archive

        $fromArchive.Names | Should -Be @("$tag/layout:1", "$tag/web:1") # one image, named twice; skopeo wrote docker.io/$tag/web:1
        $fromArchive.Id | Should -Be $fromLayout.Id
        $fromArchive.ManifestMediaType | Should -Be 'application/vnd.docker.distribution.manifest.v2+json'
        New-Container -Image "$tag/web:1" -Name "$tag-d" -Command pwd | Start-Container -Attach -Remove | Should -Be '/srv'
        # Re-imported, the same archive gives the same manifest digest.
        (Import-ContainerImage $archive).Digest | Should -Be $fromArchive.Digest
    }
}

Describe 'Export-ContainerImage, Export-Container and New-ContainerImage' -Skip:(-not $isRoot -or -not $haveTools) {
    BeforeEach { $out = [IO.Directory]::CreateTempSubdirectory('cps-export-').FullName }
    AfterEach {
        Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force
        Get-ContainerImage | Remove-ContainerImage -Force
        Remove-Item $out -Recurse -Force
    }

    It 'writes an OCI layout, directory or tar, that skopeo and umoci read and that imports back to the same digests' {
        $image = Import-ContainerImage $layered -Name "$tag/app:1"
        $dir = [IO.Path]::Combine($out, 'layout'); $tar = [IO.Path]::Combine($out, 'layout.tar')

        Export-ContainerImage "$tag/app:1" -Path $dir | Should -BeOfType [IO.DirectoryInfo]
        $image | Export-ContainerImage -Path $tar | Should -BeOfType [IO.FileInfo]

        (skopeo inspect "oci:${dir}:1" | ConvertFrom-Json).Digest | Should -Be $image.Digest
        (skopeo inspect "oci-archive:${tar}:1" | ConvertFrom-Json).Digest | Should -Be $image.Digest
        umoci ls --layout $dir | Should -Be @('1')
        umoci unpack --image "${dir}:1" ([IO.Path]::Combine($out, 'bundle')) | Out-Null
        Get-Content ([IO.Path]::Combine($out, 'bundle', 'rootfs', 'srv', 'data', 'new')) | Should -Be 'from the upper layer'
        Remove-ContainerImage "$tag/app:1"
        $back = Import-ContainerImage $tar
        ($back.Id, $back.Digest, $back.Names[0]) | Should -Be @($image.Id, $image.Digest, "$tag/app:1")
    }

    It 'writes a docker-archive that skopeo reads and that imports back to the same image and layers' {
        $image = Import-ContainerImage $layered -Name "$tag/app:1"
        $tar = [IO.Path]::Combine($out, 'saved.tar')

        Export-ContainerImage -Id $image.Id -Path $tar -Format DockerArchive | Out-Null

        (skopeo inspect "docker-archive:$tar" | ConvertFrom-Json).Layers | Should -Be @($image.Layers.DiffId) # skopeo names docker-archive layers by diff_id
        (tar -xOf $tar manifest.json | ConvertFrom-Json).RepoTags | Should -Be @("$tag/app:1")
        Remove-ContainerImage "$tag/app:1"
        $back = Import-ContainerImage $tar
        $back.Id | Should -Be $image.Id
        $back.Layers.Digest | Should -Be @($image.Layers.Digest)
        { Export-ContainerImage $back.Id -Path $tar -ErrorAction Stop } | Should -Throw -ErrorId 'ExportTargetExists,ContainerPS.Commands.ExportContainerImageCommand'
        { Export-ContainerImage $back.Id -Path ([IO.Path]::Combine($out, 'saved.tar.gz')) -ErrorAction Stop } | Should -Throw -ErrorId 'ExportCompressionUnsupported,ContainerPS.Commands.ExportContainerImageCommand'
        { Export-ContainerImage $back.Id -Path ([IO.Path]::Combine($out, 'no', 'such.tar')) -ErrorAction Stop } | Should -Throw -ErrorId 'ExportDirectoryNotFound,ContainerPS.Commands.ExportContainerImageCommand'
        Get-ChildItem -Force $out | ForEach-Object Name | Should -Be @('saved.tar')
    }

    It 'exports a container''s merged root, and commits its changes as a layer that keeps deletions' {
        $c = New-Container -Image (Import-ContainerImage $layered -Name "$tag/app:1") -Name "$tag-x" -Command sh, -c, 'echo committed > /srv/data/mine; rm /bin/cat; mkdir -p /var/made; sleep 60' | Start-Container
        Start-Sleep -Milliseconds 500
        $tar = [IO.Path]::Combine($out, 'root.tar')

        # A file a process holds locked and a unix socket, both common in a live container's root.
        $locked = [IO.File]::Open([IO.Path]::Combine($c.RootFs, 'srv', 'data', 'locked'), 'Create', 'ReadWrite', 'None')
        $socket = [Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
        $socket.Bind([Net.Sockets.UnixDomainSocketEndPoint]::new([IO.Path]::Combine($c.RootFs, 'srv', 'data', 'sock')))
        try { Export-Container $c.Name -Path $tar | Out-Null } finally { $locked.Dispose(); $socket.Dispose() }
        $names = tar -tf $tar
        $names | Should -Contain 'srv/data/locked'
        $names | Should -Not -Contain 'srv/data/sock'
        $names | Should -Contain 'srv/data/mine'
        $names | Should -Not -Contain 'bin/cat'
        $names | Should -Not -Contain 'etc/motd'

        # The socket's file may already be gone with the socket (.NET unlinks what it bound).
        Remove-Item ([IO.Path]::Combine($c.RootFs, 'srv', 'data', 'locked')), ([IO.Path]::Combine($c.RootFs, 'srv', 'data', 'sock')) -ErrorAction Ignore
        $committed = New-ContainerImage $c.Name -ImageName "$tag/app:2"
        $committed.Layers.Count | Should -Be 3
        New-Container -Image "$tag/app:2" -Name "$tag-y" -Command sh, -c, 'cat /srv/data/mine; ls /srv/data; test -e /bin/cat || echo no-cat; test -d /var/made && echo made' |
            Start-Container -Attach -Remove | Should -Be @('committed', 'mine', 'new', 'no-cat', 'made')
        (Get-Container $c.Name).State | Should -Be 'Running'
    }

    It 'refuses to commit a container without an image, and says how to make one of its root' {
        $rootfs = New-ContainerRootFs ([IO.Path]::Combine($out, 'rootfs')) -Busybox
        New-Container $rootfs.Path -Name "$tag-plain" -Command true | Out-Null

        { New-ContainerImage "$tag-plain" -ImageName "$tag/plain:1" -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerHasNoImage,ContainerPS.Commands.NewContainerImageCommand'
        Get-ContainerImage | Should -BeNullOrEmpty
    }
}

Describe 'Bad images: a clear error and nothing left' -Skip:(-not $isRoot) {
    BeforeEach {
        $bad = [IO.Path]::Combine($work, "bad-$(Get-Random)")
        Copy-Item -Recurse $layered $bad
        $index = Get-Content ([IO.Path]::Combine($bad, 'index.json')) | ConvertFrom-Json
        $blobs = [IO.Path]::Combine($bad, 'blobs', 'sha256')
        $manifest = Get-Content ([IO.Path]::Combine($blobs, $index.manifests[0].digest.Substring(7))) | ConvertFrom-Json
        $layerBlob = [IO.Path]::Combine($blobs, $manifest.layers[1].digest.Substring(7))
    }
    AfterEach {
        Get-ContainerImage | Should -BeNullOrEmpty
        Get-StoreEntries tmp | Should -BeNullOrEmpty
        Get-StoreEntries layers | ForEach-Object { $_ | Should -Not -Match '\.' }
        Get-ContainerImage | Remove-ContainerImage -Force
    }

    It 'a blob whose bytes are not its digest' {
        $bytes = [IO.File]::ReadAllBytes($layerBlob)
        $bytes[-1] = $bytes[-1] -bxor 0xff
        [IO.File]::WriteAllBytes($layerBlob, $bytes)
        { Import-ContainerImage $bad -Name "$tag/bad:1" -ErrorAction Stop } | Should -Throw -ErrorId 'ImageDigestMismatch,ContainerPS.Commands.ImportContainerImageCommand'
    }

    It 'a blob longer than its descriptor says, stopped at that size' {
        [IO.File]::AppendAllText($layerBlob, 'x')
        { Import-ContainerImage $bad -Name "$tag/bad:1" -ErrorAction Stop } | Should -Throw '*goes on past that*'
    }

    It 'a missing blob' {
        Remove-Item $layerBlob
        { Import-ContainerImage $bad -Name "$tag/bad:1" -ErrorAction Stop } | Should -Throw -ErrorId 'ImageBlobMissing,ContainerPS.Commands.ImportContainerImageCommand'
    }

    It 'an image for another platform only' {
        $arm = [IO.Path]::Combine($work, "arm-$(Get-Random)")
        New-Layout $arm @($base) @('sh') -Scratch $work -Architecture arm64
        { Import-ContainerImage $arm -Name "$tag/arm:1" -ErrorAction Stop } | Should -Throw '*linux/arm64*this machine runs linux/amd64*'
    }

    It 'a layer entry that climbs out with ../' {
        $evil = [IO.Path]::Combine($work, "evil-$(Get-Random)")
        New-Item -ItemType Directory $evil | Out-Null
        $tar = [IO.Path]::Combine($work, 'evil.tar')
        Set-Content ([IO.Path]::Combine($work, 'victim')) 'x'
        tar -C $evil -cf $tar --transform 's,^,../../,' -P ([IO.Path]::Combine($work, 'victim'))
        { Import-ContainerImage $tar -Name "$tag/evil:1" -ErrorAction Stop } | Should -Throw -ErrorId 'ImageLayerEntryEscapes,ContainerPS.Commands.ImportContainerImageCommand'
    }

    It 'an archive entry written through a symlink an earlier entry made' {
        $victim = [IO.Path]::Combine($work, "victim-$(Get-Random)")
        New-Item -ItemType Directory $victim | Out-Null
        $staging = [IO.Path]::Combine($work, "staging-$(Get-Random)")
        New-Item -ItemType Directory $staging | Out-Null
        Copy-Item ([IO.Path]::Combine($layered, 'index.json')), ([IO.Path]::Combine($layered, 'oci-layout')) $staging
        New-Item -ItemType SymbolicLink ([IO.Path]::Combine($staging, 'x')) -Target $victim | Out-Null
        Set-Content ([IO.Path]::Combine($staging, 'payload')) 'x'
        $tar = [IO.Path]::Combine($work, "through-link-$(Get-Random).tar")
        tar -C $staging -cf $tar oci-layout index.json x
        tar -C $staging -rf $tar --transform 's,^payload,x/evil,' payload

        { Import-ContainerImage $tar -Name "$tag/link:1" -ErrorAction Stop } | Should -Throw -ErrorId 'ImageArchiveEntryEscapes,ContainerPS.Commands.ImportContainerImageCommand'
        Get-ChildItem $victim | Should -BeNullOrEmpty
    }

    It 'a directory that is no image' {
        { Import-ContainerImage $work -ErrorAction Stop } | Should -Throw -ErrorId 'ImageFormatNotRecognized,ContainerPS.Commands.ImportContainerImageCommand'
    }
}

Describe 'Imports cut off and run side by side' -Skip:(-not $isRoot) {
    AfterEach { Get-ContainerImage | Remove-ContainerImage -Force }

    It 'a kill -9 after a layer was unpacked leaves no image, and the next import completes' {
        $script = "Import-Module '$module'; `$env:CONTAINERPS_CRASH_AT = 'import:layer-unpacked'; Import-ContainerImage '$layered' -Name '$tag/cut:1'; exit 3"
        & $pwsh -NoProfile -NonInteractive -Command $script | Out-Null
        $LASTEXITCODE | Should -Be 137

        Get-ContainerImage | Should -BeNullOrEmpty
        (Import-ContainerImage $layered -Name "$tag/cut:1").Names | Should -Be @("$tag/cut:1")
        Get-StoreEntries layers | Should -HaveCount 2
    }

    It 'two imports sharing a layer, run at once, both succeed and store it once' {
        $other = [IO.Path]::Combine($work, 'other-top')
        New-Item -ItemType Directory $other -Force | Out-Null
        Set-Content ([IO.Path]::Combine($other, 'other')) 'another top layer'
        $second = [IO.Path]::Combine($work, "second-$(Get-Random)")
        New-Layout $second @($base, $other) @('sh') -Scratch $work
        $children = foreach ($pair in @(@($layered, 'one'), @($second, 'two'))) {
            Start-Process $pwsh -PassThru -ArgumentList '-NoProfile', '-NonInteractive', '-Command',
                "Import-Module '$module'; `$ErrorActionPreference = 'Stop'; Import-ContainerImage '$($pair[0])' -Name '$tag/$($pair[1]):1' | Out-Null"
        }
        $children | Wait-Process -Timeout 120
        $children.ExitCode | Should -Be @(0, 0)

        (Get-ContainerImage).Names | Sort-Object | Should -Be @("$tag/one:1", "$tag/two:1")
        Get-StoreEntries layers | Should -HaveCount 3
    }
}
