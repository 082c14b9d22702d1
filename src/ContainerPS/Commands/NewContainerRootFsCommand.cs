using System.Management.Automation;
using ContainerPS.Core.Rootfs;

namespace ContainerPS.Commands;

/// <summary>Makes a minimal root filesystem for containers, from busybox-static or from host programs.</summary>
/// <remarks>
/// <para>
/// With -Busybox (the default) the directory gets busybox and a link for each of its applets; with -FromHost it gets the
/// named host programs with their shared libraries and the ELF loader, as seed 000 copies /bin/bash by hand. Both can be
/// combined. The directory must be new or empty, except that -FromHost alone adds programs to an existing rootfs.
/// </para>
/// <para>The RootFs object it emits pipes into New-Container, which binds its Path to -RootFs.</para>
/// </remarks>
/// <example>
/// <code>New-ContainerRootFs /tmp/cps-rootfs -Busybox</code>
/// Makes /tmp/cps-rootfs with busybox and its applets (sh, ls, hostname, httpd...).
/// </example>
/// <example>
/// <code>New-ContainerRootFs /tmp/cps-rootfs -Busybox -FromHost bash | New-Container -Command bash,-c,'echo $0' | Start-Container -Attach -Remove</code>
/// A busybox rootfs with the host's bash and its libraries added, and a container running bash in it; the array form
/// passes -c to bash rather than to PowerShell.
/// </example>
/// <seealso cref="NewContainerCommand"/>
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
        // -FromHost alone on an existing rootfs adds to it; otherwise a new rootfs is made in an empty directory.
        var adding = !Busybox && FromHost is not null && Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any();
        if (!ShouldProcess(path, adding ? "Add host programs to root filesystem: " + string.Join(", ", FromHost!) : "Create root filesystem"))
        {
            return;
        }
        try
        {
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
