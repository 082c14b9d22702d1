using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Tests.Namespaces;

[Collection(WholeProcessTests.Name)]
public class VforkSpawnTests
{
    [SkippableFact]
    public void Spawned_child_joins_the_namespaces_and_cgroup_of_a_target_and_starts_with_no_signal_blocked()
    {
        RootOnly.Require();
        Skip.IfNot(VforkSpawn.CanRun(Request("/bin/true")), "the vfork-like spawn runs on x86-64 only");
        // The target: a process in new uts and net namespaces, and a group of its own.
        using var target = CloneChild.Start(new CloneRequest
        {
            NewNamespaces = NamespaceKind.Uts | NamespaceKind.Net,
            Executable = "/bin/sleep",
            Arguments = ["sleep", "100"],
            Environment = [],
        });
        target.Release();
        var group = new Cgroup("cps-vfork-" + Environment.ProcessId);
        group.Create();
        try
        {
            using var uts = Sys.Open($"/proc/{target.Pid}/ns/uts", O_RDONLY);
            using var net = Sys.Open($"/proc/{target.Pid}/ns/net", O_RDONLY);
            using var entry = CgroupEntry.Open(group);
            var (output, status) = Run(Request("/bin/sh", "-c",
                "readlink /proc/self/ns/uts /proc/self/ns/net; grep -v name= /proc/self/cgroup | cut -d: -f3 | sort -u; cat /proc/self/status | grep ^SigBlk") with
            {
                Join = [(uts.Value, NamespaceKind.Uts), (net.Value, NamespaceKind.Net)],
                Cgroup = entry,
            });
            Assert.Equal(0, status);
            Assert.Equal(
            [
                new FileInfo($"/proc/{target.Pid}/ns/uts").LinkTarget!,
                new FileInfo($"/proc/{target.Pid}/ns/net").LinkTarget!,
                "/" + group.Path, // every hierarchy, the cgroup2 tree included
                "SigBlk:\t0000000000000000", // the spawning thread blocked everything; the child's program starts clean
            ], output);
        }
        finally
        {
            Sys.TryKill(target.Pid, 9);
            Sys.Wait(target.Pid, block: true);
            group.Remove();
        }
    }

    [SkippableFact]
    public void A_failed_step_names_itself_and_its_errno_and_leaves_no_child()
    {
        RootOnly.Require();
        Skip.IfNot(VforkSpawn.CanRun(Request("/bin/true")), "the vfork-like spawn runs on x86-64 only");
        var before = OurChildren();
        var chdir = Assert.Throws<NativeException>(() => VforkSpawn.Start(Request("/bin/true") with { WorkingDirectory = "/nonexistent/cps-dir" }));
        Assert.Equal(("openat2 /nonexistent/cps-dir (the working directory, inside the root, no magic links)", "ENOENT"), (chdir.Syscall, chdir.ErrnoName));
        var exec = Assert.Throws<NativeException>(() => VforkSpawn.Start(Request("/nonexistent/cps-binary")));
        Assert.Equal(("execve", "ENOENT"), (exec.Syscall, exec.ErrnoName));
        Assert.Contains("/nonexistent/cps-binary", exec.Message);
        Assert.Equal(before, OurChildren()); // both were reaped by Start
    }

    /// <summary>Our children, zombies included, from /proc (waiting for them would steal other tests' children).</summary>
    private static int[] OurChildren() => Directory.GetDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
        .Where(pid => pid > 0 && ProcStatParent(pid) == Environment.ProcessId).Order().ToArray();

    private static int ProcStatParent(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 4)..].Split(' ')[0]);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static CloneRequest Request(string executable, params string[] arguments) => new()
    {
        Executable = executable,
        Arguments = [Path.GetFileName(executable), .. arguments],
        Environment = ["PATH=/usr/bin:/bin"],
    };

    private static (string[] Lines, int Status) Run(CloneRequest request)
    {
        var (read, write) = Sys.Pipe();
        int pid;
        using (write)
        {
            pid = VforkSpawn.Start(request with { Descriptors = [(1, write), (2, write)] });
        }
        using var reader = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(read.DangerousGetHandle(), false), FileAccess.Read));
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        read.Dispose();
        return (lines, Sys.Wait(pid, block: true).Status);
    }
}
