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
    public static T CloneFrom<T>((int Fd, NamespaceKind Kind)[] targets, Func<T> clone)
    {
        T? child = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                foreach (var (fd, kind) in targets)
                {
                    Check.Result(Tmds.Linux.LibC.setns(fd, (int)kind), "setns", kind.ProcName());
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
