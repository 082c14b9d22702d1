using System.Diagnostics;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Core.Tests.Namespaces;

[Collection(WholeProcessTests.Name)]
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
                Descriptors = [(1, write)],
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

    [SkippableFact]
    public void Setup_steps_run_in_the_child_and_Release_returns_at_ready_while_the_rest_waits()
    {
        RootOnly.Require();
        var fifo = Path.Combine(Path.GetTempPath(), "cps-setup-" + Guid.NewGuid().ToString("N")[..8]);
        Sys.MakeFifo(fifo, 0x180);
        var (read, write) = Sys.Pipe();
        try
        {
            CloneChild child;
            using (write)
            {
                child = CloneChild.Start(new CloneRequest
                {
                    NewNamespaces = NamespaceKind.Uts | NamespaceKind.Mnt,
                    Executable = "/bin/hostname",
                    Arguments = ["hostname"],
                    Environment = [],
                    Descriptors = [(1, write)],
                    Setup =
                    [
                        new SetupStep("sethostname", 170, ["cps-setup", 9]),
                        SetupStep.Ready,
                        new SetupStep("open fifo", 2, [fifo, 1 /* O_WRONLY */]),
                        new SetupStep("write fifo", 1, [null, "0", 1], SyscallStepFlags.OnPreviousResult),
                    ],
                });
            }
            using (child)
            {
                child.Release(); // returns at "ready": the child now blocks opening the fifo
            }
            Assert.Equal(0, Sys.Wait(child.Pid, block: false).Pid);
            using (var start = Sys.Open(fifo, Tmds.Linux.LibC.O_RDONLY))
            {
                Span<byte> word = stackalloc byte[1];
                Assert.Equal(1, Sys.Read(start, word));
                Assert.Equal((byte)'0', word[0]);
            }
            Assert.Equal(0, Sys.Wait(child.Pid, block: true).Status);
            var output = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(read.DangerousGetHandle(), false), FileAccess.Read)).ReadToEnd();
            Assert.Equal("cps-setup", output.Trim());
        }
        finally
        {
            read.Dispose();
            File.Delete(fifo);
        }
    }

    [SkippableFact]
    public void A_failed_setup_step_comes_back_named_with_its_errno()
    {
        RootOnly.Require();
        using var child = CloneChild.Start(new CloneRequest
        {
            NewNamespaces = NamespaceKind.Mnt,
            Executable = "/bin/true",
            Arguments = ["true"],
            Environment = [],
            Setup =
            [
                new SetupStep("mount of a missing path that may be missing", 165, ["/nonexistent/cps-a", "/nonexistent/cps-b", null, 4096L /* MS_BIND */, null], SyscallStepFlags.MayBeMissing),
                new SetupStep("mount /nonexistent/cps-src on /tmp", 165, ["/nonexistent/cps-src", "/tmp", null, 4096L, null]),
            ],
        });
        var error = Assert.Throws<NativeException>(child.Release);
        Assert.Equal(("mount /nonexistent/cps-src on /tmp", "ENOENT"), (error.Syscall, error.ErrnoName));
        Assert.Equal(127 << 8, Sys.Wait(child.Pid, block: true).Status);
    }

    [SkippableFact]
    public void Children_start_and_exec_while_another_thread_keeps_collecting_garbage()
    {
        RootOnly.Require();
        // A child that ran managed code would wait forever at its first GC poll if a collection was requested at the
        // instant of the clone: the runtime's other threads do not exist in it. Ours runs no managed code.
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                _ = new byte[64 * 1024];
            }
        });
        var run = Task.Run(() =>
        {
            for (var i = 0; i < 30; i++)
            {
                using var child = CloneChild.Start(new CloneRequest { Executable = "/bin/true", Arguments = ["true"], Environment = [] });
                child.Release();
                Assert.Equal(0, Sys.Wait(child.Pid, block: true).Status);
            }
        });
        // Forking a large process while full collections run is slow (a second or more each, late in the suite), but it
        // ends; with a child that ran C# this test hung.
        var finished = run.Wait(TimeSpan.FromSeconds(150));
        stop.Cancel();
        collector.Wait();
        Assert.True(finished, "a clone child hung");
    }
}
