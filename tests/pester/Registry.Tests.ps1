# Pester 5: Import-ContainerImage -Reference against Debian's docker-registry started here on 127.0.0.1, its
# storage in a temp dir: one plain (HTTP) registry, one with a self-signed certificate and token authentication (the
# token service and a registry that fails with 500 are tests/pester/RegistryServer.ps1). Images are pushed by
# skopeo from umoci's layouts; pulls are checked against skopeo's view of the same registry.
BeforeDiscovery {
    $script:ready = (id -u) -eq '0' -and [bool](Get-Command docker-registry -ErrorAction Ignore) -and
        [bool](Get-Command skopeo -ErrorAction Ignore) -and [bool](Get-Command umoci -ErrorAction Ignore)
}

BeforeAll {
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $module = [IO.Path]::Combine($repo, 'ContainerPS.psd1')
    Import-Module $module -Force
    . ([IO.Path]::Combine($PSScriptRoot, 'ChildPwsh.ps1'))
    . ([IO.Path]::Combine($PSScriptRoot, 'ImageFixtures.ps1'))
    $pwsh = Get-ChildPwsh $repo
    $work = [IO.Directory]::CreateTempSubdirectory('cps-registry-').FullName
    $env:CONTAINERPS_IMAGE_ROOT = [IO.Path]::Combine($work, 'store')
    $tag = "cps-reg-$PID"
    $processes = [Collections.Generic.List[Diagnostics.Process]]::new()

    function Get-FreePort {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop(); $port
    }
    function Wait-Port([int] $Port) {
        foreach ($try in 1..100) {
            $client = [Net.Sockets.TcpClient]::new()
            try { $client.Connect('127.0.0.1', $Port); return } catch { Start-Sleep -Milliseconds 100 } finally { $client.Dispose() }
        }
        throw "nothing listens on 127.0.0.1:$Port"
    }
    function Start-Registry([string] $Name, [string] $Auth = '', [string] $Tls = '') {
        $port = Get-FreePort
        $config = [IO.Path]::Combine($work, "$Name.yml")
        Set-Content $config @"
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $([IO.Path]::Combine($work, "$Name-data"))
http:
  addr: 127.0.0.1:$port
$Tls
$Auth
"@
        $log = [IO.Path]::Combine($work, "$Name.log")
        $processes.Add((Start-Process docker-registry -ArgumentList 'serve', $config -PassThru -RedirectStandardError $log -RedirectStandardOutput "$log.out"))
        Wait-Port $port
        [pscustomobject]@{ Address = "127.0.0.1:$port"; Log = $log }
    }

    if (-not $ready) { return }
    # busybox httpd serving /srv on 8080, from umoci; a second image adds a layer on the same base (umoci repack).
    $rootfs = [IO.Path]::Combine($work, 'rootfs')
    New-ContainerRootFs $rootfs -Busybox | Out-Null
    New-Item -ItemType Directory ([IO.Path]::Combine($rootfs, 'srv')) | Out-Null
    Set-Content ([IO.Path]::Combine($rootfs, 'srv', 'index.html')) 'served from a pulled image'
    $layout = [IO.Path]::Combine($work, 'web')
    New-UmociLayout $layout $rootfs $work
    $bundle = [IO.Path]::Combine($work, 'second-bundle')
    umoci unpack --image "${layout}:latest" $bundle | Out-Null
    Set-Content ([IO.Path]::Combine($bundle, 'rootfs', 'extra')) 'a second image'
    umoci repack --image "${layout}:second" $bundle
    umoci config --image "${layout}:second" --config.cmd cat --config.cmd /extra

    $plain = Start-Registry plain
    skopeo copy --quiet --dest-tls-verify=false "oci:${layout}:latest" "docker://$($plain.Address)/cps/web:1"
    skopeo copy --quiet --dest-tls-verify=false "oci:${layout}:second" "docker://$($plain.Address)/cps/second:1"
    if ($LASTEXITCODE) { throw 'skopeo could not push to the plain registry' }

    # The token-auth registry: a self-signed certificate for its TLS and for the token service's signatures.
    $key = [IO.Path]::Combine($work, 'key.pem'); $cert = [IO.Path]::Combine($work, 'cert.pem')
    openssl req -x509 -newkey rsa:2048 -nodes -keyout $key -out $cert -days 1 -subj '/CN=cps-registry' -addext 'subjectAltName=IP:127.0.0.1' 2>$null
    $tokenPort = Get-FreePort
    $processes.Add((Start-Process $pwsh -PassThru -ArgumentList '-NoProfile', '-NonInteractive', '-File', ([IO.Path]::Combine($PSScriptRoot, 'RegistryServer.ps1')),
        '-Port', $tokenPort, '-KeyPath', $key, '-CertPath', $cert, '-User', 'cps', '-Password', 'secret'))
    Wait-Port $tokenPort
    $secured = Start-Registry secured -Tls "  tls:`n    certificate: $cert`n    key: $key" -Auth @"
auth:
  token:
    realm: http://127.0.0.1:$tokenPort/token
    service: cps-registry
    issuer: cps-issuer
    rootcertbundle: $cert
"@
    skopeo copy --quiet --dest-tls-verify=false --dest-creds cps:secret "oci:${layout}:latest" "docker://$($secured.Address)/cps/web:1"
    if ($LASTEXITCODE) { throw 'skopeo could not push to the token-auth registry' }
    $failing = "127.0.0.1:$tokenPort" # answers 500 to every registry request
    # A registry whose token service is plain HTTP off this machine (TEST-NET-1, never contacted: refused before).
    $offHost = Start-Registry offhost -Tls "  tls:`n    certificate: $cert`n    key: $key" -Auth @"
auth:
  token:
    realm: http://192.0.2.1/token
    service: cps-registry
    issuer: cps-issuer
    rootcertbundle: $cert
"@
}

AfterAll {
    Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force
    Get-ContainerNetwork "$tag-net" -ErrorAction Ignore | Remove-ContainerNetwork -Force
    Get-ContainerImage -ErrorAction Ignore | Remove-ContainerImage -Force
    Remove-SkopeoData
    foreach ($process in $processes) { Stop-Process -Id $process.Id -Force -ErrorAction Ignore; $process.WaitForExit(5000) | Out-Null }
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
    Remove-Item Env:CONTAINERPS_IMAGE_ROOT
}

Describe 'Pulling from a registry' -Skip:(-not $ready) {
    AfterEach {
        Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force
        Get-ContainerImage | Remove-ContainerImage -Force
    }

    It 'pulls by tag, with the registry''s digest, and serves from the image on a published port' {
        $image = Import-ContainerImage -Reference "$($plain.Address)/cps/web:1"

        $image.Names | Should -Be @("$($plain.Address)/cps/web:1")
        $image.Digest | Should -Be (skopeo inspect --tls-verify=false "docker://$($plain.Address)/cps/web:1" | ConvertFrom-Json).Digest
        New-ContainerNetwork "$tag-net" -Subnet "10.$(Get-Random -Minimum 150 -Maximum 200).$(Get-Random -Maximum 250).0/24" | Out-Null
        $port = Get-Random -Minimum 20000 -Maximum 30000
        New-Container -Image $image -Name "$tag-web" -Network "$tag-net" -Publish "${port}:8080" | Start-Container | Out-Null
        $body = $null
        foreach ($try in 1..50) {
            try { $body = (Invoke-WebRequest "http://127.0.0.1:$port/index.html" -TimeoutSec 2).Content; break } catch { Start-Sleep -Milliseconds 100 }
        }
        $body.Trim() | Should -Be 'served from a pulled image'
    }

    It 'pulls by digest, and as a job' {
        $digest = (skopeo inspect --tls-verify=false "docker://$($plain.Address)/cps/web:1" | ConvertFrom-Json).Digest
        $job = Import-ContainerImage -Reference "$($plain.Address)/cps/web@$digest" -AsJob
        $image = $job | Wait-Job -Timeout 60 | Receive-Job

        $job.State | Should -Be 'Completed'
        $image.Digest | Should -Be $digest
        $image.Names | Should -BeNullOrEmpty # a digest names no tag; docker lists such an image as <none> too
    }

    It 'answers the token service''s challenge with -Credential over TLS, and says what is missing without' {
        { Import-ContainerImage -Reference "$($secured.Address)/cps/web:1" -ErrorAction Stop } |
            Should -Throw '*cannot be reached over https*-SkipCertificateCheck*'
        { Import-ContainerImage -Reference "$($secured.Address)/cps/web:1" -SkipCertificateCheck -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageRegistryUnauthorized,ContainerPS.Commands.ImportContainerImageCommand'
        $wrong = [pscredential]::new('cps', (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        { Import-ContainerImage -Reference "$($secured.Address)/cps/web:1" -SkipCertificateCheck -Credential $wrong -ErrorAction Stop } |
            Should -Throw "*refused user 'cps'*"

        $credential = [pscredential]::new('cps', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
        $image = Import-ContainerImage -Reference "$($secured.Address)/cps/web:1" -SkipCertificateCheck -Credential $credential
        New-Container -Image $image -Name "$tag-sec" -Command cat, /srv/index.html | Start-Container -Attach -Remove | Should -Be 'served from a pulled image'
    }

    It 'never sends a credential in the clear to a token service off this machine' {
        $credential = [pscredential]::new('cps', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
        { Import-ContainerImage -Reference "$($offHost.Address)/cps/web:1" -SkipCertificateCheck -Credential $credential -ErrorAction Stop } |
            Should -Throw '*http://192.0.2.1/token is neither HTTPS nor on this machine*'
    }

    It 'refuses, with the reason and nothing stored: <Case>' -ForEach @(
        @{ Case = 'an unknown tag'; Reference = { "$($plain.Address)/cps/web:nope" }; ErrorId = 'ImageNotFoundInRegistry' }
        @{ Case = 'an unknown name'; Reference = { "$($plain.Address)/cps/nothing:1" }; ErrorId = 'ImageNotFoundInRegistry' }
        @{ Case = 'a registry that is down'; Reference = { "127.0.0.1:$(Get-FreePort)/cps/web:1" }; ErrorId = 'ImageRegistryUnreachable' }
        @{ Case = 'a registry that answers 500'; Reference = { "$failing/cps/web:1" }; ErrorId = 'ImageRegistryFailed' }
        @{ Case = 'no registry named'; Reference = { 'cps/web:1' }; ErrorId = 'ImageRegistryMissing' }
    ) {
        { Import-ContainerImage -Reference (& $Reference) -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,ContainerPS.Commands.ImportContainerImageCommand"
        Get-ContainerImage | Should -BeNullOrEmpty
        Get-StoreEntries tmp | Should -BeNullOrEmpty
    }

    It 'resumes a layer cut off by a kill -9 with a Range request, and stores no image meanwhile' {
        $script = "Import-Module '$module'; `$env:CONTAINERPS_CRASH_AT = 'pull:layer-partial'; Import-ContainerImage -Reference '$($plain.Address)/cps/web:1'; exit 3"
        & $pwsh -NoProfile -NonInteractive -Command $script | Out-Null
        $LASTEXITCODE | Should -Be 137
        Get-ContainerImage | Should -BeNullOrEmpty
        Get-StoreEntries tmp | Where-Object { $_ -like '*.partial' } | Should -HaveCount 1

        (Import-ContainerImage -Reference "$($plain.Address)/cps/web:1").Names | Should -Be @("$($plain.Address)/cps/web:1")
        Get-Content $plain.Log | Where-Object { $_ -match 'http.response.status=206' } | Should -Not -BeNullOrEmpty
    }

    It 'runs two pulls of images that share a layer at once, and stores that layer once' {
        $children = foreach ($name in 'web', 'second') {
            Start-Process $pwsh -PassThru -ArgumentList '-NoProfile', '-NonInteractive', '-Command',
                "Import-Module '$module'; `$ErrorActionPreference = 'Stop'; Import-ContainerImage -Reference '$($plain.Address)/cps/${name}:1' | Out-Null"
        }
        $children | Wait-Process -Timeout 120
        $children.ExitCode | Should -Be @(0, 0)

        (Get-ContainerImage).Count | Should -Be 2
        Get-StoreEntries layers | Should -HaveCount 2
        New-Container -Image "$($plain.Address)/cps/second:1" -Name "$tag-second" | Start-Container -Attach -Remove | Should -Be 'a second image'
    }
}
