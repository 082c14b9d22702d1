using ContainerPS.Core.Security;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Writes a new user namespace's uid/gid maps from outside, while its first process waits on the sync pipe.
/// Without maps given (-Namespace User alone) the mapping is the identity over the first 65536 ids, so a rootfs
/// owned by host root stays usable; with -UidMap/-GidMap, root inside is an unprivileged id outside.
/// </summary>
public static class UserNamespaceMap
{
    public static void WriteRootMapping(int pid)
    {
        File.WriteAllText($"/proc/{pid}/uid_map", "0 0 65536\n");
        File.WriteAllText($"/proc/{pid}/gid_map", "0 0 65536\n");
    }

    public static void Write(int pid, IdMapping[] uids, IdMapping[] gids)
    {
        File.WriteAllText($"/proc/{pid}/uid_map", IdMapping.ToProcFile(uids));
        File.WriteAllText($"/proc/{pid}/gid_map", IdMapping.ToProcFile(gids));
    }
}
