namespace ContainerPS.Core.Security;

/// <summary>
/// The devices a container's cgroup allows: the nodes its /dev holds (null, zero, full, random, urandom, tty), the
/// pty master multiplexer and every pty it opens (136:*, the devpts range), and what the user added with -Device.
/// runc's default list has these and more: "c *:* m" and "b *:* m" (mknod of any node, which CAP_MKNOD then allows),
/// /dev/console and /dev/net/tun. Those are left out: a container that may mknod the host's disk relies on nodev
/// mounts alone to keep it from opening it.
/// </summary>
public static class DeviceAllowList
{
    public static IReadOnlyList<DeviceRule> ContainerDefault { get; } =
    [
        new(DeviceType.Char, 1, 3, DeviceAccess.All), // null
        new(DeviceType.Char, 1, 5, DeviceAccess.All), // zero
        new(DeviceType.Char, 1, 7, DeviceAccess.All), // full
        new(DeviceType.Char, 1, 8, DeviceAccess.All), // random
        new(DeviceType.Char, 1, 9, DeviceAccess.All), // urandom
        new(DeviceType.Char, 5, 0, DeviceAccess.All), // tty
        new(DeviceType.Char, 5, 2, DeviceAccess.All), // ptmx
        new(DeviceType.Char, 136, null, DeviceAccess.All), // pts/N
    ];

    /// <summary>The default list and the user's devices, each with the access it was given.</summary>
    public static IReadOnlyList<DeviceRule> For(IEnumerable<DeviceRule> added) => [.. ContainerDefault, .. added];
}
