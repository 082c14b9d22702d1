# The registry side of Registry.Tests.ps1, run as a pwsh of its own: an HttpListener on 127.0.0.1 that is a token
# service for docker-registry's token auth (Basic credentials in, an RS256 JWT out, signed with the key whose
# certificate is the registry's rootcertbundle and carried in x5c), and a registry that answers 500 to everything.
param([int] $Port, [string] $KeyPath, [string] $CertPath, [string] $User, [string] $Password)
$ErrorActionPreference = 'Stop'
$key = [Security.Cryptography.RSA]::Create()
$key.ImportFromPem((Get-Content -Raw $KeyPath))
$cert = [Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem((Get-Content -Raw $CertPath))
$x5c = [Convert]::ToBase64String($cert.RawData)

function Base64Url([byte[]] $bytes) { [Convert]::ToBase64String($bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') }

function New-Token([string] $scope) {
    $access = @()
    foreach ($one in @($scope -split ' ' | Where-Object { $_ })) {
        $type, $name, $actions = $one -split ':'
        $access += @{ type = $type; name = $name; actions = @($actions -split ',') }
    }
    $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    $header = @{ typ = 'JWT'; alg = 'RS256'; x5c = @($x5c) } | ConvertTo-Json -Compress
    $claims = @{ iss = 'cps-issuer'; sub = $User; aud = 'cps-registry'; exp = $now + 600; nbf = $now - 60; iat = $now; jti = [guid]::NewGuid().ToString(); access = $access } | ConvertTo-Json -Compress -Depth 5
    $signed = "$(Base64Url ([Text.Encoding]::UTF8.GetBytes($header))).$(Base64Url ([Text.Encoding]::UTF8.GetBytes($claims)))"
    $signature = $key.SignData([Text.Encoding]::ASCII.GetBytes($signed), [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    "$signed.$(Base64Url $signature)"
}

$listener = [Net.HttpListener]::new()
$listener.Prefixes.Add("http://127.0.0.1:$Port/")
$listener.Start()
$expected = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${User}:${Password}"))
while ($true) {
    $context = $listener.GetContext()
    $request = $context.Request
    $response = $context.Response
    $body = ''
    if ($request.Url.AbsolutePath -eq '/token') {
        if ($request.Headers['Authorization'] -eq $expected) {
            $body = @{ token = (New-Token $request.QueryString['scope']) } | ConvertTo-Json -Compress
            $response.ContentType = 'application/json'
        }
        else {
            $response.StatusCode = 401
        }
    }
    else {
        $response.StatusCode = 500
        $body = '{"errors":[{"code":"UNKNOWN","message":"the test registry fails on purpose"}]}'
    }
    $bytes = [Text.Encoding]::UTF8.GetBytes($body)
    $response.OutputStream.Write($bytes, 0, $bytes.Length)
    $response.Close()
}
