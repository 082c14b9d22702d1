using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// A clone child that sits in new namespaces and never runs anything: it waits on its sync pipe while the caller
/// writes its maps or opens and binds /proc/PID/ns/*, and is killed and reaped when disposed.
/// </summary>
internal sealed class NamespaceHolder : IDisposable
{
    private readonly CloneChild _child;

    private NamespaceHolder(CloneChild child) => _child = child;

    public int Pid => _child.Pid;

    public static NamespaceHolder Start(NamespaceKind kinds) => new(CloneChild.Start(new CloneRequest
    {
        NewNamespaces = kinds,
        DeferCgroupNamespace = false,
        Executable = "/bin/true", // never run: the child is killed while it still waits on its sync pipe
        Arguments = ["true"],
        Environment = [],
    }));

    public void Dispose()
    {
        Sys.TryKill(_child.Pid, 9);
        Sys.Wait(_child.Pid, block: true);
        _child.Dispose();
    }
}
