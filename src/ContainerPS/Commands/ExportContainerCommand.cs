using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Writes a container's root filesystem to a tar, as docker export does.</summary>
/// <remarks>
/// <para>
/// The root as the host sees it: for a container made from an image, its merged overlayfs (the image's layers with
/// what the container changed, deleted files absent); for a -RootFs container, that directory. The runtime's own
/// mounts (/proc, /dev, /sys, /tmp) are the container's mount namespace's only and are not in it. A path ending in
/// .gz is gzip-compressed. Import-ContainerImage reads the result back as a one-layer image.
/// </para>
/// </remarks>
/// <example>
/// <code>Export-Container web -Path ./web-root.tar.gz</code>
/// Writes the root of the container web as a gzip'd tar.
/// </example>
/// <example>
/// <code>Export-Container web -Path ./web.tar; Import-ContainerImage ./web.tar -Name web-flat:1</code>
/// Flattens a container into an image of one layer.
/// </example>
/// <seealso cref="NewContainerImageCommand"/>
/// <seealso cref="ImportContainerImageCommand"/>
[Cmdlet(VerbsData.Export, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(FileInfo))]
public sealed class ExportContainerCommand : ContainerTargetCmdlet
{
    /// <summary>The tar to write (gzip'd when it ends in .gz); it must not exist.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override void Process(Container container)
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(container.Name, $"Export container root to {path}"))
        {
            ContainerExport.Run(Store, container, path);
            WriteObject(InvokeProvider.Item.Get(path), enumerateCollection: true); // as Get-Item shows it
        }
    }
}
