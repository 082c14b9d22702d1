namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Writes a new user namespace's uid/gid maps from outside, while its first process waits on the sync pipe.
/// The mapping is the identity over the first 65536 ids, so a rootfs owned by host root stays usable and root
/// inside holds capabilities only over what its namespaces own.
/// </summary>
public static class UserNamespaceMap
{
    public static void WriteRootMapping(int pid)
    {
        File.WriteAllText($"/proc/{pid}/uid_map", "0 0 65536\n");
        File.WriteAllText($"/proc/{pid}/gid_map", "0 0 65536\n");
    }
}
