using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Security;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// A host device given to a container (-Device): the node is made at <see cref="ContainerPath"/> in the container's
/// /dev with the host node's numbers and permission bits, and its cgroup allows it with <see cref="Access"/>.
/// </summary>
public sealed class DeviceSpec
{
    public required string HostPath { get; init; }
    public required string ContainerPath { get; init; }
    public required DeviceType Type { get; init; }
    public required uint Major { get; init; }
    public required uint Minor { get; init; }
    public DeviceAccess Access { get; init; } = DeviceAccess.All;

    /// <summary>The host node's permission bits (rw-rw---- for a disk), kept on the node inside.</summary>
    public uint Permissions { get; init; } = 0x1B6;

    /// <summary>
    /// What the container's device cgroup allows for it: <see cref="Access"/>, and mknod, because the container's own
    /// process makes the node after it has entered the cgroup. Another node of the same numbers gives no more than this one.
    /// </summary>
    public DeviceRule Rule => new(Type, Major, Minor, Access | DeviceAccess.Mknod);

    public override string ToString() => $"{HostPath}:{ContainerPath}:{DeviceRule.AccessLetters(Access)}";

    /// <summary>Nodes and mounts the container's /dev has already, which a device may not replace.</summary>
    private static readonly string[] Taken = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
        "/dev/ptmx", "/dev/pts", "/dev/shm", "/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr"];

    /// <summary>"/dev/x[:/dev/inside][:rwm]", as docker --device takes it; the host path must be a device node.</summary>
    public static DeviceSpec Parse(string text)
    {
        var parts = text.Split(':');
        var (host, inside, letters) = parts switch
        {
            [var h] => (h, h, "rwm"),
            [var h, var second] when second.StartsWith('/') => (h, second, "rwm"),
            [var h, var second] => (h, h, second),
            [var h, var second, var third] when second.StartsWith('/') => (h, second, third),
            _ => ("", "", ""),
        };
        if (!host.StartsWith('/'))
        {
            throw Invalid("InvalidDevice", $"The device '{text}' is not valid. Use /dev/HOST[:/dev/INSIDE][:PERMISSIONS], e.g. /dev/fuse or /dev/sdb:/dev/xvdb:r.", text);
        }
        var node = DeviceStat.Node(host) ?? throw new ContainerPSException("DeviceNotFound", FailureKind.ObjectNotFound,
            $"'{host}' is not a device node on the host (missing, or a file or directory). Give a character or block device, e.g. /dev/fuse.", text);
        var access = DeviceRule.ParseAccess(letters) ?? throw Invalid("InvalidDevicePermissions",
            $"The permissions '{letters}' of device '{text}' are not valid. Use one or more of r (read), w (write) and m (mknod), e.g. rwm or r.", text);
        var containerPath = Path.GetFullPath(inside);
        if (!containerPath.StartsWith("/dev/", StringComparison.Ordinal) || Taken.Any(t => containerPath == t || containerPath.StartsWith(t + "/", StringComparison.Ordinal)))
        {
            throw Invalid("InvalidDevicePath", $"The device '{text}' would be made at {containerPath} inside the container. Devices are made in the container's /dev, not at {string.Join(", ", Taken)}.", text);
        }
        return new DeviceSpec
        {
            HostPath = host,
            ContainerPath = containerPath,
            Type = node.Type,
            Major = node.Major,
            Minor = node.Minor,
            Access = access,
            Permissions = node.Permissions,
        };
    }

    private static ContainerPSException Invalid(string reason, string message, string text) => new(reason, FailureKind.InvalidArgument, message, text);
}
