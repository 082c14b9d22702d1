using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Core.Tests.Namespaces;

/// <summary>
/// CloneRequest.ForkAfterJoin, the way a user other than root enters a container's pid namespace: the clone child
/// joins the user namespace, then the pid namespace, and forks the process that runs the command. Run here as root,
/// which could have joined from a thread, so the test shows the path itself: the command is in the pid namespace, it
/// is our child, and the process in between is gone.
/// </summary>
[Collection(WholeProcessTests.Name)]
public class ForkAfterJoinTests
{
    [SkippableFact]
    public void The_command_runs_inside_the_joined_pid_namespace_as_our_child_and_the_forking_child_is_reaped()
    {
        RootOnly.Require();
        using var target = Target();
        var (read, write) = Sys.Pipe();
        using var _ = read;
        CloneChild child;
        using (write)
        {
            child = JoinAndRun(target.Pid, ["sh", "-c", "echo $$; exec grep NSpid /proc/self/status"], write);
        }
        var first = child.Pid;
        using (child)
        {
            child.Release();
        }
        var (pid, status) = Sys.Wait(child.Pid, block: true);
        Assert.Equal(child.Pid, pid);
        Assert.Equal(0, status);
        Assert.NotEqual(first, child.Pid); // the process we cloned forked the command, and Release followed it
        Assert.False(Directory.Exists($"/proc/{first}"), "the forking child was not reaped");
        var lines = ReadAll(read).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("2", lines[0]); // pid 1 is the target, the command is the namespace's second process
        Assert.Equal(["NSpid:", child.Pid.ToString(), "2"], lines[1].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableFact]
    public void A_failed_execve_after_the_fork_comes_back_as_the_command_and_its_errno()
    {
        RootOnly.Require();
        using var target = Target();
        using var child = JoinAndRun(target.Pid, ["/nonexistent/cps-command"], null);
        var error = Assert.Throws<NativeException>(child.Release);
        Assert.Equal("execve", error.Syscall);
        Assert.Equal("ENOENT", error.ErrnoName);
        Assert.Equal(127 << 8, Sys.Wait(child.Pid, block: true).Status);
    }

    [SkippableFact]
    public void A_failure_before_the_fork_is_the_childs_own_and_nothing_else_runs()
    {
        RootOnly.Require();
        using var target = Target();
        using var notANamespace = Sys.Open("/dev/null", Tmds.Linux.LibC.O_RDONLY);
        using var child = CloneChild.Start(new CloneRequest
        {
            Join = [(notANamespace.Value, NamespaceKind.Pid)],
            ForkAfterJoin = true,
            Executable = "/bin/true",
            Arguments = ["true"],
            Environment = [],
        });
        var first = child.Pid;
        var error = Assert.Throws<NativeException>(child.Release);
        Assert.Equal("setns", error.Syscall);
        Assert.Equal("EINVAL", error.ErrnoName);
        Assert.Equal(first, child.Pid);
        Assert.Equal(127 << 8, Sys.Wait(child.Pid, block: true).Status);
    }

    /// <summary>A sleeping process in a user namespace of its own (identity-mapped) with a pid namespace it owns.</summary>
    private static TargetProcess Target()
    {
        var child = CloneChild.Start(new CloneRequest
        {
            NewNamespaces = NamespaceKind.User | NamespaceKind.Pid,
            Executable = "/bin/sleep",
            Arguments = ["sleep", "30"],
            Environment = [],
            BecomeRoot = true,
        });
        UserNamespaceMap.WriteRootMapping(child.Pid);
        child.Release();
        child.Dispose();
        return new TargetProcess(child.Pid);
    }

    private static CloneChild JoinAndRun(int target, string[] command, SafeFd? stdout)
    {
        using var user = Sys.Open($"/proc/{target}/ns/user", Tmds.Linux.LibC.O_RDONLY);
        using var pid = Sys.Open($"/proc/{target}/ns/pid", Tmds.Linux.LibC.O_RDONLY);
        return CloneChild.Start(new CloneRequest
        {
            Join = [(user.Value, NamespaceKind.User), (pid.Value, NamespaceKind.Pid)],
            ForkAfterJoin = true,
            BecomeRoot = true,
            Executable = command[0].StartsWith('/') ? command[0] : "/bin/" + command[0],
            Arguments = command,
            Environment = ["PATH=/usr/bin:/bin"],
            Descriptors = stdout is null ? [] : [(1, stdout)],
        });
    }

    private static string ReadAll(SafeFd fd) =>
        new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd.DangerousGetHandle(), false), FileAccess.Read)).ReadToEnd();

    private sealed record TargetProcess(int Pid) : IDisposable
    {
        public void Dispose()
        {
            Sys.TryKill(Pid, 9);
            Sys.Wait(Pid, block: true);
        }
    }
}
