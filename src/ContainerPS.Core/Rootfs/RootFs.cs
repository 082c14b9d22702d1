namespace ContainerPS.Core.Rootfs;

/// <summary>
/// A root filesystem directory the builder made or added to. Plain data only, so it survives
/// PowerShell remoting (CliXml) and binds by property name when piped on.
/// </summary>
public sealed class RootFs
{
    public const string BusyboxSource = "Busybox";
    public const string HostSource = "Host";

    /// <summary>The rootfs directory on the host.</summary>
    public string Path { get; init; } = "";

    /// <summary>Where this build's programs came from: "Busybox" or "Host".</summary>
    public string Source { get; init; } = "";

    /// <summary>The programs this build added, as paths inside the rootfs (/bin/busybox, /usr/bin/bash).</summary>
    public string[] Binaries { get; init; } = [];

    /// <summary>The bytes of all regular files in the rootfs after the build.</summary>
    public long SizeBytes { get; init; }

    public override string ToString() => Path;
}
