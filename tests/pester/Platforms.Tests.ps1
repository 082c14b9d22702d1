# Pester 5: the arm64 build. No arm64 machine runs this suite, so what is checked here is what emulation can show: the
# runtime is built for arm64 and qemu-aarch64 runs it to its usage line; and the clone trampoline's arm64 source runs
# on Debian's arm64 kernel in qemu-system-aarch64 (qemu's user mode has no clone3). The Core tests check that the bytes
# the runtime holds are that source's.
BeforeDiscovery {
    $root = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $arm64Runtime = [IO.Path]::Combine($root, 'module', 'bin', 'linux-arm64', 'containerps-runtime')
    $built = [IO.File]::Exists($arm64Runtime)
    $qemu = Get-Command qemu-aarch64-static -CommandType Application -ErrorAction Ignore
    $machine = (Get-Command qemu-system-aarch64 -CommandType Application -ErrorAction Ignore) -and
        (Get-Command aarch64-linux-gnu-gcc -CommandType Application -ErrorAction Ignore) -and (id -u) -eq '0'
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
        "$output" | Should -Match 'usage: containerps-runtime \[global flags\] COMMAND'
    }
}

Describe 'The arm64 clone trampoline' -Skip:(-not $machine) {
    It 'runs its steps, reports a failed row, ends at the end row and forks with ParentReports on an arm64 kernel' {
        $output = & ([IO.Path]::Combine($PSScriptRoot, '..', 'arm64', 'run-trampoline.sh')) 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        @($output | Where-Object { "$_" -like 'ok: *' }).Count | Should -Be 4
    }
}
