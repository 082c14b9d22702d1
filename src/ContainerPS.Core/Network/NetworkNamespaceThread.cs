using System.Runtime.ExceptionServices;
using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Network;

/// <summary>
/// Creates a descriptor (a netlink socket) inside another network namespace without moving any thread of the
/// runtime. A socket belongs for life to the namespace it was created in, and setns(CLONE_NEWNET) changes only
/// the calling thread (it is allowed in a multithreaded process, unlike setns into mnt or user namespaces). So a
/// fresh thread that exists for this alone enters the namespace, creates the socket, steps back and ends; the
/// thread-pool and the caller's thread never leave the process's namespace.
/// </summary>
internal static class NetworkNamespaceThread
{
    private const string OwnNamespace = "/proc/thread-self/ns/net";

    public static SafeFd CreateIn(SafeFd ns, string name, Func<SafeFd> create)
    {
        SafeFd? created = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                created = Run(ns, name, create);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = "netns " + name,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return created!;
    }

    private static SafeFd Run(SafeFd ns, string name, Func<SafeFd> create)
    {
        using var home = Sys.Open(OwnNamespace, O_RDONLY);
        NetlinkCalls.EnterNamespace(ns, name);
        SafeFd? created = null;
        try
        {
            created = create();
        }
        finally
        {
            // The thread ends right after, so this is belt and braces; but a thread that stays in a foreign
            // namespace by mistake would create the next socket there, so it goes home before anything else.
            try
            {
                NetlinkCalls.EnterNamespace(home, OwnNamespace);
            }
            catch
            {
                created?.Dispose();
                throw;
            }
        }
        return created;
    }
}
