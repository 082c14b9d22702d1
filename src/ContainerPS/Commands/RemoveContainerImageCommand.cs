using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Images;

namespace ContainerPS.Commands;

/// <summary>Removes images from the image store, with the blobs and layers nothing else uses.</summary>
/// <remarks>
/// <para>
/// As docker rmi. Named by one of several names, only that name is taken off; by its id or its last name, the image
/// goes. An image that containers were made from is refused unless -Force; forced, its record goes and its
/// layers stay as long as those containers do. After each removal the store drops every blob no image names and every
/// layer no image or container uses, and what a killed import left in its tmp directory.
/// </para>
/// </remarks>
/// <example>
/// <code>Remove-ContainerImage web:1.0</code>
/// Removes the image named web:1.0.
/// </example>
/// <example>
/// <code>Get-ContainerImage | Where-Object Size -gt 100MB | Remove-ContainerImage</code>
/// Removes every image larger than 100 MB that no container uses.
/// </example>
/// <seealso cref="GetContainerImageCommand"/>
/// <seealso cref="ImportContainerImageCommand"/>
[Cmdlet(VerbsCommon.Remove, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
public sealed class RemoveContainerImageCommand : ImageTargetCmdlet
{
    /// <summary>Remove an image containers were made from: its record goes, its layers stay while they do.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var images = ImageStore.Open();
        foreach (var given in Given)
        {
            try
            {
                var image = ImageRecords.Resolve(images, given);
                // By one of several names: only that name goes, as docker rmi untags.
                var name = ParameterSetName == ParameterSets.Name ? ImageRecords.NameMatching(image, given) : null;
                if (name is not null && image.Names.Length > 1)
                {
                    if (ShouldProcess($"{image} ({image.ShortId})", $"Remove the name {name}"))
                    {
                        ContainerImageRemove.Untag(images, image, name);
                    }
                    continue;
                }
                ContainerImageRemove.Check(Store, image, Force);
                if (ShouldProcess($"{image} ({image.ShortId})", "Remove container image"))
                {
                    ContainerImageRemove.Run(Store, images, image, Force);
                }
            }
            catch (Core.Containers.RecordDamagedException damaged) when (damaged.Reason == "ImageRecordDamaged" && damaged.Target is string hex)
            {
                // A record that cannot be read is still removable by its id, as the error reading it says.
                if (ShouldProcess($"damaged image record {hex}", "Remove container image"))
                {
                    ContainerImageRemove.RunDamaged(Store, images, hex);
                }
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteFailure(e, given);
            }
        }
    }
}
