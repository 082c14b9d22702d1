using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Images;

namespace ContainerPS.Commands;

/// <summary>Makes an image of a container's changes on top of its image, as docker commit does.</summary>
/// <remarks>
/// <para>
/// The container's writable layer (its overlayfs upper directory, with deleted files as OCI whiteouts) becomes one
/// more gzip'd layer on the image it was made from; the new config and manifest follow the base's kind (OCI or
/// Docker). A running container is paused while its layer is read. Only containers made with New-Container -Image
/// have such a layer; for a -RootFs container, Export-Container and Import-ContainerImage make an image of its root.
/// </para>
/// </remarks>
/// <example>
/// <code>Invoke-ContainerCommand web -- sh -c 'echo v2 > /srv/version'; New-ContainerImage web -ImageName web:2</code>
/// Saves what the container web changed as the image web:2.
/// </example>
/// <seealso cref="ExportContainerCommand"/>
/// <seealso cref="GetContainerImageCommand"/>
[Cmdlet(VerbsCommon.New, "ContainerImage", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(ContainerImage))]
public sealed class NewContainerImageCommand : ContainerTargetCmdlet
{
    /// <summary>The name of the new image (REPOSITORY[:TAG]); without one it is listed by its id only.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? ImageName { get; set; }

    protected override void Process(Container container)
    {
        if (ShouldProcess(container.Name, "Commit container as image" + (ImageName is null ? "" : $" {ImageName}")))
        {
            WriteObject(ContainerCommit.Run(Store, ImageStore.Open(), container, ImageName));
        }
    }
}
