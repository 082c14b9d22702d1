# Pester 5: the manifest carries what the PowerShell Gallery shows and checks (./build.sh test runs every file here).
BeforeAll {
    $root = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $manifest = Test-ModuleManifest ([IO.Path]::Combine($root, 'ContainerPS.psd1')) -ErrorAction Stop
}

Describe 'The ContainerPS manifest' {
    It 'passes Test-ModuleManifest and asks for PowerShell 7.4 or later, Core edition' {
        $manifest.Name | Should -Be 'ContainerPS'
        $manifest.PowerShellVersion | Should -Be ([version]'7.4')
        $manifest.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'describes the module without promising what is not there yet' {
        $manifest.Description | Should -Match 'namespaces'
        $manifest.Description | Should -Match 'cgroups'
        # No image store exists yet: neither the description nor the tags may advertise one.
        $manifest.Description | Should -Not -Match 'image layers|pull'
        $manifest.Tags | Should -Not -Contain 'OCI'
        $manifest.Tags | Should -Contain 'Linux'
        $manifest.Tags | Should -Contain 'PSEdition_Core'
    }

    It 'points its licence at the MIT text and ships LICENSE with the copyright it names' {
        $manifest.LicenseUri.IsAbsoluteUri | Should -BeTrue
        $manifest.LicenseUri.Scheme | Should -Be 'https'
        $manifest.LicenseUri.AbsoluteUri | Should -Match 'MIT'
        $manifest.Copyright | Should -Match 'MIT'
        $license = Get-Content -Raw ([IO.Path]::Combine($root, 'LICENSE'))
        $license | Should -Match '^MIT License'
        $license | Should -Match 'Copyright \(c\) \d{4} ContainerPS maintainers'
    }

    It 'gives a project address only when it is a real one' {
        # There is no public home yet; an invented or placeholder address would send Gallery users nowhere.
        if ($manifest.ProjectUri) {
            $manifest.ProjectUri.Scheme | Should -Be 'https'
            $manifest.ProjectUri.Host | Should -Not -Match 'example|localhost|placeholder'
        }
    }
}
