using ContainerPS.Core.Interop;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// A detached copy of a directory's mount tree whose file owners are seen through a uid/gid mapping (an id-mapped
/// mount, mount_setattr MOUNT_ATTR_IDMAP): a rootfs owned by host root appears owned by root inside a container whose
/// root is an unprivileged host id, and what that root writes there lands on disk as host root again. Nothing is
/// chowned. The mapping comes from a user namespace made for the purpose by a clone child that never runs; the
/// container's process later attaches the tree in its own mount namespace (move_mount of the inherited descriptor).
/// </summary>
public static class IdmappedTree
{
    public static SafeFd Open(string directory, IdMapping[] uids, IdMapping[] gids)
    {
        using var holder = NamespaceHolder.Start(NamespaceKind.User);
        UserNamespaceMap.Write(holder.Pid, uids, gids);
        using var userns = Sys.Open($"/proc/{holder.Pid}/ns/user", Tmds.Linux.LibC.O_RDONLY);
        var tree = Sys.OpenTree(directory);
        try
        {
            Sys.SetIdMapping(tree, userns);
            return tree;
        }
        catch
        {
            tree.Dispose();
            throw;
        }
    }
}
