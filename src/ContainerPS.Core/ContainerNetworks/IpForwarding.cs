using ContainerPS.Core.Network;
namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// net.ipv4.ip_forward, which routing between the bridges and the outside needs. Enabled with the first network if
/// it was off, and the old value kept in the store (ip_forward.before), so removing the last network puts it back;
/// a host that had it on already is left alone. Callers hold the store's lock.
/// </summary>
internal static class IpForwarding
{
    private const string Key = "net/ipv4/ip_forward";

    /// <summary>Turns forwarding on; true when this call changed it (so undoing this call means <see cref="Restore"/>).</summary>
    public static bool Enable(NetworkStore store)
    {
        var current = Sysctl.Read(Key);
        if (current == "1")
        {
            return false;
        }
        if (!File.Exists(store.ForwardingRecordPath))
        {
            File.WriteAllText(store.ForwardingRecordPath, current);
        }
        Sysctl.Write(Key, "1");
        return true;
    }

    /// <summary>Puts back the value from before we enabled it, if we did; nothing otherwise.</summary>
    public static void Restore(NetworkStore store)
    {
        if (!File.Exists(store.ForwardingRecordPath))
        {
            return;
        }
        Sysctl.Write(Key, File.ReadAllText(store.ForwardingRecordPath).Trim());
        File.Delete(store.ForwardingRecordPath);
    }
}
