namespace ContainerPS.Core.Containers;

/// <summary>
/// The paths of a container that the runtime mounts itself before the user's mounts (Containers/ContainerSetup.cs):
/// a user's mount there, or below, would either hide what the container needs (its /proc, through which the exec fifo
/// is opened) or find no mount point (procfs, the fresh /dev tmpfs and the read-only /sys cannot grow one).
/// </summary>
public static class RuntimeMountTargets
{
    private static readonly (string Path, string What)[] Owned =
    [
        ("/proc", "the container's procfs"),
        ("/dev", "a tmpfs with the container's device nodes, devpts and shm"),
        ("/sys", "a read-only sysfs"),
    ];

    /// <summary>What the runtime mounts at or above <paramref name="destination"/>, or null when the path is the user's to mount on.</summary>
    public static string? Owning(string destination)
    {
        var path = Path.GetFullPath(destination).TrimEnd('/');
        if (path.Length == 0)
        {
            return "the container's root filesystem";
        }
        return Owned.FirstOrDefault(o => path == o.Path || path.StartsWith(o.Path + "/", StringComparison.Ordinal)).What;
    }
}
