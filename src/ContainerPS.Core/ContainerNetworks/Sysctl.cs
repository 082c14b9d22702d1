using ContainerPS.Core.Network;
namespace ContainerPS.Core.ContainerNetworks;

/// <summary>Kernel parameters under /proc/sys, by their path there ("net/ipv4/ip_forward"): a link's name may hold dots.</summary>
internal static class Sysctl
{
    public static string Read(string path) => File.ReadAllText(Path.Combine("/proc/sys", path)).Trim();

    public static void Write(string path, string value) => File.WriteAllText(Path.Combine("/proc/sys", path), value);
}
