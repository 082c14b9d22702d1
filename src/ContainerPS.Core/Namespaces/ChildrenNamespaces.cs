using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Joins pid and time namespaces the only way they can be: setns(CLONE_NEWPID/NEWTIME) changes the namespace of
/// the caller's future children, not its own. A dedicated thread joins them (allowed for one thread of a
/// multithreaded process, unlike user and mnt) and clones; the thread then ends, and with it the changed
/// namespace-for-children, so no other thread of the process is ever affected.
/// </summary>
internal static class ChildrenNamespaces
{
    /// <summary>Runs <paramref name="clone"/> here, or on a thread that joined the request's pid and time namespaces first.</summary>
    public static T Around<T>(CloneRequest request, Func<T> clone)
    {
        var forChildren = request.Join.Where(j => IsForChildren(j.Kind)).ToArray();
        return forChildren.Length == 0 || request.ForkAfterJoin ? clone() : CloneFrom(forChildren, clone);
    }

    /// <summary>Pid and time: joining them changes the caller's children only, so the clone child never joins them itself.</summary>
    public static bool IsForChildren(NamespaceKind kind) => kind is NamespaceKind.Pid or NamespaceKind.Time;

    private static T CloneFrom<T>((int Fd, NamespaceKind Kind)[] targets, Func<T> clone)
    {
        T? child = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                foreach (var (fd, kind) in targets)
                {
                    Sys.SetNamespace(fd, (int)kind, kind.ProcName());
                }
                child = clone();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? child! : throw failure;
    }
}
