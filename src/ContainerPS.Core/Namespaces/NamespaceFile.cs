using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>An nsfs file (/proc/PID/ns/KIND or a bind mount of one): what namespace it is, and who owns it.</summary>
public static class NamespaceFile
{
    private const ulong NS_GET_USERNS = 0xb701, NS_GET_NSTYPE = 0xb703;

    /// <summary>(device, inode) of the namespace the file refers to, or null when it cannot be read (the process is gone).</summary>
    public static (ulong Device, ulong Inode)? Identity(string path) =>
        Sys.TryStat(path, out var st) ? ((ulong)st.st_dev, (ulong)st.st_ino) : null;

    /// <summary>The inode of the user namespace owning the namespace open at <paramref name="fd"/>.</summary>
    public static ulong? OwnerUserNamespace(SafeFd fd)
    {
        var owner = LibcCalls.Ioctl(fd.Value, NS_GET_USERNS, 0);
        if (owner < 0)
        {
            return null; // EPERM for the initial user namespace's owner, which is outside our view
        }
        using var ownerFd = new SafeFd(owner);
        return Sys.TryStat(ownerFd, out var st) ? (ulong)st.st_ino : null;
    }

    /// <summary>The kind of namespace an nsfs descriptor refers to; throws when it is not a namespace file.</summary>
    public static NamespaceKind KindOf(SafeFd fd, string path)
    {
        var type = LibcCalls.Ioctl(fd.Value, NS_GET_NSTYPE, 0);
        return (NamespaceKind)Check.Result(type, "ioctl(NS_GET_NSTYPE)", path);
    }
}
