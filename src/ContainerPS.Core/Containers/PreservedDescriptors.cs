using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// -PreserveFd: descriptors of the PowerShell process that a container's first process (or an exec) gets at the same
/// numbers, as OCI's --preserve-fds hands on runc's own 3..N. Everything else above stdio is closed before execve.
/// </summary>
public static class PreservedDescriptors
{
    /// <summary>The numbers given, refused when one is stdio, given twice, or not open in this process now.</summary>
    public static int[] Check(IReadOnlyList<int> numbers)
    {
        foreach (var fd in numbers)
        {
            if (fd < 3)
            {
                throw new ContainerPSException("PreservedDescriptorIsStdio", FailureKind.InvalidArgument,
                    $"-PreserveFd {fd}: descriptors 0, 1 and 2 are the container's stdin, stdout and stderr, which the runtime sets. Give numbers from 3 up.", fd);
            }
            if (!Sys.IsOpen(fd))
            {
                throw new ContainerPSException("PreservedDescriptorNotOpen", FailureKind.ObjectNotFound,
                    $"-PreserveFd {fd}: this PowerShell process (pid {Environment.ProcessId}) has no descriptor {fd} open. List its open ones with: Get-ChildItem /proc/{Environment.ProcessId}/fd", fd);
            }
        }
        return numbers.Distinct().Order().ToArray();
    }

    /// <summary>
    /// The shim's copies of <paramref name="numbers"/>, taken from the process that started it (the PowerShell process
    /// that ran New-Container, which is waiting for its answer) with pidfd_getfd.
    /// </summary>
    public static (int Target, SafeFd Copy)[] TakeFromParent(int[] numbers)
    {
        if (numbers.Length == 0)
        {
            return [];
        }
        var parent = Sys.ParentPid;
        using var pidfd = Sys.TryOpenPidfd(parent) ?? throw new ContainerPSException("PreservedDescriptorsGone", FailureKind.ResourceUnavailable,
            $"The process that created the container (pid {parent}) is gone, with the descriptors -PreserveFd named.");
        return numbers.Select(fd => (fd, Sys.TakeDescriptor(pidfd, fd))).ToArray();
    }
}
