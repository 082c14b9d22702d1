# Pester 5: the errors a runbook sees, and what it can branch on: the ErrorId (FullyQualifiedErrorId up to the comma),
# the category, the target and the exception the kernel's refusal is kept in.
BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'ContainerPS.psd1')) -Force
    $isRoot = (id -u) -eq '0'
    $tag = "cps-err-$PID"
    $rootfsPath = Join-Path ([IO.Path]::GetTempPath()) "$tag-rootfs"

    # The one error a command wrote or threw, caught the way a runbook catches it (2>&1, or try/catch).
    function Get-OnlyError([scriptblock] $Command) {
        $caught = @(try { & $Command 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } } catch { $_ })
        $caught | Should -HaveCount 1
        $caught[0]
    }
}

AfterAll {
    Get-Container "$tag-*" -ErrorAction Ignore | Remove-Container -Force -ErrorAction Continue
    Get-Cgroup "$tag-*" -ErrorAction Ignore | Remove-Cgroup -Force -ErrorAction Continue
    if (Test-Path $rootfsPath) { Remove-Item $rootfsPath -Recurse -Force }
}

Describe 'Errors of ContainerPS cmdlets' {
    BeforeEach {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'containers and cgroups need root' }
    }

    It 'an unknown container is ContainerNotFound, ObjectNotFound, with the name as target' {
        $error1 = Get-OnlyError { Get-Container "$tag-nobody" }
        $error1.FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
        $error1.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $error1.TargetObject | Should -Be "$tag-nobody"
        $error1.Exception | Should -BeOfType ([ContainerPS.Core.Interop.ContainerPSException])
    }

    It 'an unknown container fails only its own item; the pipeline goes on' {
        New-Cgroup "$tag-known" | Out-Null
        $caught = @()
        $found = Get-Cgroup "$tag-known", "$tag-unknown" -ErrorVariable +caught -ErrorAction SilentlyContinue
        $found.Name | Should -Be "$tag-known"
        $caught | Should -HaveCount 1
        $caught[0].FullyQualifiedErrorId | Should -BeLike 'CgroupNotFound,*'
        $caught[0].TargetObject | Should -Be "$tag-unknown"
    }

    It 'a cpuset the kernel refuses keeps its errno, names the file and says what is valid' {
        New-Cgroup "$tag-cpus" | Out-Null
        $refused = Get-OnlyError { Set-CgroupLimit "$tag-cpus" -CpuSet 99 }
        $refused.FullyQualifiedErrorId | Should -BeLike 'CgroupValueInvalid,*'
        $refused.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $refused.TargetObject | Should -BeOfType ([ContainerPS.Core.Cgroups.Cgroup])
        $refused.TargetObject.Name | Should -Be "$tag-cpus"
        $refused.Exception.Message | Should -BeLike "*refused '99' for */containerps/$tag-cpus/cpuset.cpus: E*"
        $refused.Exception.Message | Should -BeLike "*Valid: *parent group's cpuset.cpus*"
        $refused.Exception.File | Should -BeLike '*/cpuset.cpus'
        $refused.Exception.Value | Should -Be '99'
        # The kernel's own word stays inside: the failed write(2) with its errno.
        $refused.Exception.InnerException | Should -BeOfType ([ContainerPS.Core.Interop.NativeException])
        $refused.Exception.InnerException.Syscall | Should -Be 'write'
        $refused.Exception.InnerException.ErrnoName | Should -BeIn 'EINVAL', 'ERANGE'
        $refused.Exception.Errno | Should -Be $refused.Exception.InnerException.Errno
        (Get-CgroupLimit "$tag-cpus").CpuSet | Should -Not -Be '99'
    }

    Context 'a running container' {
        BeforeAll {
            if ($isRoot) {
                New-ContainerRootFs $rootfsPath -Busybox | Out-Null
                # awk holding a 32 MB string, memory the kernel cannot reclaim without swap.
                $hog = New-Container $rootfsPath -Name "$tag-hog" -Command awk, 'BEGIN { s = "x"; while (length(s) < 33554432) s = s s; system("sleep 1000") }'
                $hog | Start-Container
                $deadline = (Get-Date).AddSeconds(20)
                while ((Get-Container "$tag-hog" | Get-CgroupStat).MemoryCurrent -lt 32MB -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
            }
        }

        It 'a memory limit below what it uses is CgroupResourceBusy, with the container as target and its usage in the message' {
            if ((Get-Content /proc/swaps | Measure-Object).Count -gt 1) { Set-ItResult -Skipped -Because 'with swap the kernel can reclaim below any limit' }
            $refused = Get-OnlyError { Get-Container "$tag-hog" | Set-CgroupLimit -Memory 4MB }
            $refused.FullyQualifiedErrorId | Should -BeLike 'CgroupResourceBusy,*'
            $refused.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $refused.TargetObject | Should -BeOfType ([ContainerPS.Core.Containers.Container])
            $refused.TargetObject.Name | Should -Be "$tag-hog"
            $refused.Exception.Message | Should -BeLike "*refused '4194304' for *memory*: EBUSY*uses * bytes now*"
            $refused.Exception.InnerException.ErrnoName | Should -Be 'EBUSY'
            (Get-Container "$tag-hog").State | Should -Be 'Running'
        }
    }

    It 'a create the kernel refuses reports that refusal and leaves no container behind' {
        if (-not (Test-Path $rootfsPath)) { New-ContainerRootFs $rootfsPath -Busybox | Out-Null }
        $refused = Get-OnlyError { New-Container $rootfsPath -Name "$tag-badcpus" -CpuSet 99 -Command true }
        $refused.FullyQualifiedErrorId | Should -BeLike 'CgroupValueInvalid,*'
        $refused.Exception.InnerException | Should -BeOfType ([ContainerPS.Core.Interop.NativeException])
        Get-Container "$tag-badcpus" -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'bad input Core catches is a specific error, not InvalidArgument or an exception type name' {
        $refused = Get-OnlyError { New-ContainerRootFs (Join-Path $rootfsPath 'x') -FromHost 'bin/sh' }
        $refused.FullyQualifiedErrorId | Should -BeLike 'InvalidHostBinary,*'
        $refused.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $refused.TargetObject | Should -Be 'bin/sh'
    }
}
