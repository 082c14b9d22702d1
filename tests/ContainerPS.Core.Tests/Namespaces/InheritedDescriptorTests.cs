using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Tests.Namespaces;

/// <summary>
/// A descriptor our process holds without close-on-exec (here: a host directory, as a shell's `exec 8&lt;dir` leaves
/// one) must not reach a program we start: only stdio and the descriptors the request names cross execve.
/// </summary>
[Collection(WholeProcessTests.Name)]
public class InheritedDescriptorTests
{
    private const string ListOwnDescriptors = "ls /proc/$$/fd; true"; // the shell's, not those ls opens to list them

    [SkippableFact]
    public void A_leaked_directory_descriptor_does_not_reach_a_vfork_spawned_program()
    {
        RootOnly.Require();
        Skip.IfNot(VforkSpawn.CanRun(Shell("")), "the vfork-like spawn runs on x86-64 only");
        using var leaked = LeakedDirectory();
        var lines = Run(write => VforkSpawn.Start(Shell(ListOwnDescriptors) with { Descriptors = [(1, write)] }));
        Assert.Equal(["0", "1", "2"], lines);
    }

    [SkippableFact]
    public void A_leaked_directory_descriptor_does_not_reach_a_clone_child_in_new_namespaces()
    {
        RootOnly.Require();
        using var leaked = LeakedDirectory();
        var lines = Run(write =>
        {
            using var child = CloneChild.Start(Shell(ListOwnDescriptors) with { NewNamespaces = NamespaceKind.Uts, Descriptors = [(1, write)] });
            child.Release();
            return child.Pid;
        });
        Assert.Equal(["0", "1", "2"], lines); // the report pipe, close-on-exec, went at execve too
    }

    [SkippableFact]
    public void A_descriptor_the_request_places_above_stdio_is_kept()
    {
        RootOnly.Require();
        Skip.IfNot(VforkSpawn.CanRun(Shell("")), "the vfork-like spawn runs on x86-64 only");
        using var leaked = LeakedDirectory();
        var lines = Run(write => VforkSpawn.Start(Shell("ls /proc/$$/fd; readlink /proc/$$/fd/5") with { Descriptors = [(1, write), (5, leaked)] }));
        Assert.Equal(["0", "1", "2", "5", "/tmp"], lines);
    }

    [SkippableFact]
    public void A_leaked_descriptor_below_one_the_request_places_is_closed_too()
    {
        RootOnly.Require();
        Skip.IfNot(VforkSpawn.CanRun(Shell("")), "the vfork-like spawn runs on x86-64 only");
        using var leaked = LeakedDirectory(); // at 20 or above
        using var kept = Sys.Open("/", O_RDONLY | O_DIRECTORY);
        var target = leaked.Value + 5;
        var lines = Run(write => VforkSpawn.Start(Shell($"ls /proc/$$/fd; readlink /proc/$$/fd/{target}") with { Descriptors = [(1, write), (target, kept)] }));
        Assert.Equal([0, 1, 2, target], lines[..^1].Select(int.Parse).Order());
        Assert.Equal("/", lines[^1]);
    }

    /// <summary>/tmp open without close-on-exec, at a number above those the tests place.</summary>
    private static SafeFd LeakedDirectory()
    {
        using var dir = Sys.Open("/tmp", O_RDONLY | O_DIRECTORY);
        return new SafeFd(Check.Result(fcntl(dir.Value, F_DUPFD, 20), "fcntl(F_DUPFD)"));
    }

    private static CloneRequest Shell(string line) => new()
    {
        Executable = "/bin/sh",
        Arguments = ["sh", "-c", line],
        Environment = ["PATH=/usr/bin:/bin"],
    };

    /// <summary>Starts a program with its stdout on a pipe; returns its output lines once it exited 0.</summary>
    private static string[] Run(Func<SafeFd, int> start)
    {
        var (read, write) = Sys.Pipe();
        int pid;
        using (write)
        {
            pid = start(write);
        }
        using var reader = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(read.DangerousGetHandle(), false), FileAccess.Read));
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        read.Dispose();
        Assert.Equal(0, Sys.Wait(pid, block: true).Status);
        return lines;
    }
}
