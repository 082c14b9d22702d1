using System.Diagnostics;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Core.Tests.Namespaces;

public class CloneChildTests
{
    [SkippableFact]
    public void Clone_child_runs_as_pid_1_in_new_namespaces_from_a_multithreaded_process()
    {
        RootOnly.Require();
        var (read, write) = Sys.Pipe();
        using var _ = read;
        CloneChild child;
        using (write)
        {
            child = CloneChild.Start(new CloneRequest
            {
                NewNamespaces = NamespaceKind.Pid | NamespaceKind.Uts | NamespaceKind.Net | NamespaceKind.Ipc | NamespaceKind.Mnt,
                Executable = "/bin/sh",
                Arguments = ["sh", "-c", "echo pid=$$; readlink /proc/self/ns/uts; readlink /proc/self/ns/net"],
                Environment = ["PATH=/usr/bin:/bin"],
                Descriptors = [(1, write.Value)],
            });
        }
        using (child)
        {
            child.Release();
        }
        var (pid, status) = Sys.Wait(child.Pid, block: true);
        Assert.Equal(child.Pid, pid);
        Assert.Equal(0, status);
        var output = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(read.DangerousGetHandle(), false), FileAccess.Read)).ReadToEnd();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("pid=1", lines[0]);
        Assert.StartsWith("uts:[", lines[1]);
        Assert.NotEqual(new FileInfo("/proc/self/ns/uts").LinkTarget, lines[1]);
        Assert.StartsWith("net:[", lines[2]);
        Assert.NotEqual(new FileInfo("/proc/self/ns/net").LinkTarget, lines[2]);
    }

    [SkippableFact]
    public void Exec_failure_in_the_clone_child_comes_back_as_an_error_with_errno()
    {
        RootOnly.Require();
        using var child = CloneChild.Start(new CloneRequest
        {
            NewNamespaces = NamespaceKind.Pid,
            Executable = "/nonexistent/cps-binary",
            Arguments = ["cps-binary"],
            Environment = [],
        });
        var error = Assert.Throws<NativeException>(child.Release);
        Assert.Equal("execve", error.Syscall);
        Assert.Equal("ENOENT", error.ErrnoName);
        Assert.Equal(127 << 8, Sys.Wait(child.Pid, block: true).Status);
    }
}
