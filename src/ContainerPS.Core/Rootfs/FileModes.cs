namespace ContainerPS.Core.Rootfs;

/// <summary>The permission bits the rootfs builder gives what it makes, named for what each is for.</summary>
internal static class FileModes
{
    /// <summary>0755: a directory anyone may enter and list, only root may change.</summary>
    public const UnixFileMode Directory =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>0700: root's home.</summary>
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>1777: /tmp, where anyone may create files and only a file's owner may remove it.</summary>
    public const UnixFileMode SharedScratchDirectory =
        UnixFileMode.StickyBit | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>0644: a configuration file anyone may read.</summary>
    public const UnixFileMode ReadableFile =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
}
