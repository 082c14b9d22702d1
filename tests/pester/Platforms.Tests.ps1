# Pester 5: the arm64 build. No arm64 machine runs this suite, so what is checked here is that the runtime is built
# for arm64 and starts there as far as an emulator can show: qemu-aarch64 runs it to its usage line. (qemu's user mode
# has no clone3, so the clone trampoline itself is checked byte for byte against its source, in the Core tests.)
BeforeDiscovery {
    $root = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $arm64Runtime = [IO.Path]::Combine($root, 'module', 'bin', 'linux-arm64', 'containerps-runtime')
    $built = [IO.File]::Exists($arm64Runtime)
    $qemu = Get-Command qemu-aarch64-static -CommandType Application -ErrorAction Ignore
}

# Without the cross toolchain (clang, gcc-aarch64-linux-gnu, libc6-dev-arm64-cross) build.ps1 says it did not build
# the arm64 runtime, and these are reported skipped.
Describe 'The linux-arm64 runtime' -Skip:(-not $built) {
    BeforeAll {
        $arm64Runtime = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'module', 'bin', 'linux-arm64', 'containerps-runtime')
    }

    It 'is a 64-bit little-endian ELF executable for AArch64 (e_machine 183)' {
        $header = [IO.File]::ReadAllBytes($arm64Runtime)[0..19]
        [Text.Encoding]::ASCII.GetString($header, 1, 3) | Should -Be 'ELF'
        $header[4] | Should -Be 2 -Because 'ELFCLASS64'
        $header[5] | Should -Be 1 -Because 'little-endian'
        [BitConverter]::ToUInt16([byte[]]$header, 18) | Should -Be 183 -Because 'EM_AARCH64'
    }

    It 'starts under qemu-aarch64 and prints its usage' -Skip:(-not $qemu) {
        $output = & qemu-aarch64-static -L /usr/aarch64-linux-gnu $arm64Runtime 2>&1
        $LASTEXITCODE | Should -Be 2
        "$output" | Should -Match 'usage: containerps-runtime shim'
    }
}

