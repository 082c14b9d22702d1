using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Core.Tests.Namespaces;

[Collection(WholeProcessTests.Name)]
public class NoNewPrivilegesTests
{
    [SkippableTheory]
    [InlineData(true, "NoNewPrivs:\t1")]
    [InlineData(false, "NoNewPrivs:\t0")]
    public void The_child_sets_no_new_privs_before_execve_only_when_asked(bool asked, string expected)
    {
        RootOnly.Require();
        var (read, write) = Sys.Pipe();
        using var _ = read;
        CloneChild child;
        using (write)
        {
            child = CloneChild.Start(new CloneRequest
            {
                NewNamespaces = NamespaceKind.Uts,
                Executable = "/bin/grep",
                Arguments = ["grep", "^NoNewPrivs", "/proc/self/status"],
                Environment = [],
                Descriptors = [(1, write)],
                NoNewPrivileges = asked,
            });
        }
        using (child)
        {
            child.Release();
        }
        Assert.Equal(0, Sys.Wait(child.Pid, block: true).Status);
        var output = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(read.DangerousGetHandle(), false), FileAccess.Read)).ReadToEnd();
        Assert.Equal(expected, output.Trim());
    }
}
