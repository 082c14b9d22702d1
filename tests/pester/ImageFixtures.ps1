# Dot-sourced by the image tests: OCI image layouts made two ways, by hand with tar (to hold exactly the whiteouts
# and repeats a test needs) and by umoci (a real tool's output). $Scratch is a directory for intermediate files.

# Each layer a directory tarred as it is (its .wh. files included) and gzipped; the config gives the diff_ids, Cmd
# Env, User and WorkingDir (/etc); one manifest in index.json, named "latest" by org.opencontainers.image.ref.name.
function New-Layout([string] $Path, [string[]] $LayerDirs, [string[]] $Cmd, [string] $Scratch, [string] $Architecture = 'amd64', [string] $User = '') {
    $blobs = [IO.Path]::Combine($Path, 'blobs', 'sha256')
    New-Item -ItemType Directory $blobs -Force | Out-Null
    $layers = @(); $diffIds = @()
    foreach ($dir in $LayerDirs) {
        $tar = [IO.Path]::Combine($Scratch, "layer-$(Get-Random).tar")
        tar --numeric-owner -C $dir -cf $tar . ; if ($LASTEXITCODE) { throw "tar $dir" }
        $diffIds += "sha256:$((Get-FileHash -Algorithm SHA256 $tar).Hash.ToLowerInvariant())"
        gzip -n $tar
        $digest = (Get-FileHash -Algorithm SHA256 "$tar.gz").Hash.ToLowerInvariant()
        Move-Item "$tar.gz" ([IO.Path]::Combine($blobs, $digest)) -Force # a layer given twice is one blob
        $layers += @{ mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip'; digest = "sha256:$digest"; size = (Get-Item ([IO.Path]::Combine($blobs, $digest))).Length }
    }
    $config = @{ architecture = $Architecture; os = 'linux'; config = @{ Cmd = $Cmd; Env = @('PATH=/bin', 'FROM_IMAGE=yes'); User = $User; WorkingDir = '/etc' }; rootfs = @{ type = 'layers'; diff_ids = $diffIds } } | ConvertTo-Json -Depth 5 -Compress
    $manifest = @{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'; config = (Add-LayoutBlob $blobs $config 'application/vnd.oci.image.config.v1+json'); layers = $layers } | ConvertTo-Json -Depth 5 -Compress
    $descriptor = Add-LayoutBlob $blobs $manifest 'application/vnd.oci.image.manifest.v1+json'
    $descriptor.annotations = @{ 'org.opencontainers.image.ref.name' = 'latest' }
    Set-Content ([IO.Path]::Combine($Path, 'index.json')) (@{ schemaVersion = 2; manifests = @($descriptor) } | ConvertTo-Json -Depth 5 -Compress) -NoNewline
    Set-Content ([IO.Path]::Combine($Path, 'oci-layout')) '{"imageLayoutVersion":"1.0.0"}' -NoNewline
}

function Add-LayoutBlob([string] $Blobs, [string] $Json, [string] $MediaType) {
    $bytes = [Text.Encoding]::UTF8.GetBytes($Json)
    $digest = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant()
    [IO.File]::WriteAllBytes([IO.Path]::Combine($Blobs, $digest), $bytes)
    @{ mediaType = $MediaType; digest = "sha256:$digest"; size = $bytes.Length }
}

# umoci's layout of a root filesystem: one layer, tagged latest, running busybox httpd on 8080 from /srv.
function New-UmociLayout([string] $Path, [string] $RootFs, [string] $Scratch) {
    umoci init --layout $Path
    umoci new --image "${Path}:latest"
    $bundle = [IO.Path]::Combine($Scratch, "bundle-$(Get-Random)")
    umoci unpack --image "${Path}:latest" $bundle | Out-Null
    Copy-Item -Recurse -Force ([IO.Path]::Combine($RootFs, '*')) ([IO.Path]::Combine($bundle, 'rootfs'))
    umoci repack --image "${Path}:latest" $bundle
    umoci config --image "${Path}:latest" --config.cmd httpd --config.cmd -f --config.cmd -p --config.cmd 8080 --config.env PATH=/bin --config.workingdir /srv
    Remove-Item -Recurse -Force $bundle
}

# The names in one directory of the image store the test set in CONTAINERPS_IMAGE_ROOT (tmp, layers, blobs/sha256).
function Get-StoreEntries([string] $Kind) {
    $dir = [IO.Path]::Combine($env:CONTAINERPS_IMAGE_ROOT, $Kind)
    if ([IO.Directory]::Exists($dir)) { @([IO.Directory]::GetFileSystemEntries($dir) | ForEach-Object { [IO.Path]::GetFileName($_) }) } else { @() }
}

# skopeo run as root keeps a blob cache in /var/lib/containers/cache whatever it is told, and leaves it there. Taken
# for rootless (_CONTAINERS_ROOTLESS_UID only picks its paths), it keeps the cache under XDG_DATA_HOME instead: a
# directory of this test run's, which Remove-SkopeoData deletes. The variables are set for the one call only.
$script:skopeoData = [IO.Path]::Combine([IO.Path]::GetTempPath(), "cps-skopeo-$PID")
function skopeo {
    $env:_CONTAINERS_ROOTLESS_UID = '1'
    $env:XDG_DATA_HOME = $script:skopeoData
    try { & (Get-Command skopeo -CommandType Application | Select-Object -First 1) @args }
    finally { Remove-Item Env:_CONTAINERS_ROOTLESS_UID, Env:XDG_DATA_HOME -ErrorAction Ignore }
}

function Remove-SkopeoData { Remove-Item $script:skopeoData -Recurse -Force -ErrorAction Ignore }
