namespace ContainerPS.Core.Containers;

/// <summary>Checks on a root filesystem that only the host's view can answer.</summary>
public static class RootFsCheck
{
    /// <summary>
    /// Whether the path is the host's / itself, through symlinks too: pivot_root cannot make the root it stands in the
    /// new root (EBUSY, late, from inside the child). A bind mount of / elsewhere is another mount, which pivot_root takes.
    /// </summary>
    public static bool IsHostRoot(string path)
    {
        var resolved = new DirectoryInfo(path);
        var full = resolved.LinkTarget is not null ? resolved.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? resolved.FullName : resolved.FullName;
        return Path.GetFullPath(full).TrimEnd('/').Length == 0;
    }
}
