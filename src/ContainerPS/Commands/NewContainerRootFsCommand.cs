using System.Management.Automation;
using ContainerPS.Core.Rootfs;

namespace ContainerPS.Commands;

/// <summary>
/// New-ContainerRootFs: a minimal root filesystem from busybox-static, or from host binaries with their shared
/// libraries and loader (seed 000 copies /bin/bash this way), or both.
/// </summary>
[Cmdlet(VerbsCommon.New, "ContainerRootFs", SupportsShouldProcess = true)]
[OutputType(typeof(RootFs))]
public sealed class NewContainerRootFsCommand : ContainerPSCmdlet
{
    /// <summary>The directory for the root filesystem: new or empty, or an existing rootfs when -FromHost is given alone.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Busybox and its applet links (the default when -FromHost is not given).</summary>
    [Parameter]
    public SwitchParameter Busybox { get; set; }

    /// <summary>Host programs (names on PATH or absolute paths) to copy in with their libraries.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? FromHost { get; set; }

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(path, "Create root filesystem"))
        {
            return;
        }
        try
        {
            // -FromHost alone on an existing rootfs adds to it; otherwise a new rootfs is made in an empty directory.
            var adding = !Busybox && FromHost is not null && Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any();
            var rootfs = adding ? RootFsBuilder.AddHostBinaries(path, FromHost!)
                : Busybox || FromHost is null ? RootFsBuilder.CreateBusybox(path)
                : RootFsBuilder.CreateFromHost(path, FromHost);
            if (Busybox && FromHost is not null)
            {
                rootfs = RootFsBuilder.AddHostBinaries(path, FromHost);
            }
            WriteObject(rootfs);
        }
        catch (Exception e) when (IsItemFailure(e))
        {
            ThrowFailure(e, path);
        }
    }
}
