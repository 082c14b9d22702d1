using System.Management.Automation;
using ContainerPS.Core.Images;

namespace ContainerPS.Commands;

/// <summary>Writes images from the store as an OCI image layout or a docker-archive, as docker save does.</summary>
/// <remarks>
/// <para>
/// The blobs are written as they are stored, so digests stay what the registry or the import gave them, and
/// Import-ContainerImage of the result gives back the same image. -Format OciLayout (the default) writes a directory,
/// or a tar for a path ending in .tar, with each name in index.json (io.containerd.image.name and
/// org.opencontainers.image.ref.name); -Format DockerArchive writes docker save's tar, manifest.json with the names as
/// RepoTags. Images piped in go into one export.
/// </para>
/// </remarks>
/// <example>
/// <code>Export-ContainerImage web:1 -Path ./web-layout; skopeo inspect oci:./web-layout:1</code>
/// Writes an OCI layout that skopeo, umoci and containerd read.
/// </example>
/// <example>
/// <code>Get-ContainerImage localhost:5000/* | Export-ContainerImage -Path ./all.tar -Format DockerArchive</code>
/// Saves several images in one docker-archive, as docker save does.
/// </example>
/// <seealso cref="ImportContainerImageCommand"/>
[Cmdlet(VerbsData.Export, "ContainerImage", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(FileSystemInfo))]
public sealed class ExportContainerImageCommand : ImageTargetCmdlet
{
    /// <summary>Where to write: a directory (an OCI layout) or a tar; it must not exist.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>OciLayout (default) or DockerArchive.</summary>
    [Parameter]
    public ImageExportFormat Format { get; set; } = ImageExportFormat.OciLayout;

    private readonly List<ContainerImage> _images = [];
    private readonly ImageStore _store = ImageStore.Open();

    protected override void ProcessRecord()
    {
        foreach (var given in Given)
        {
            try
            {
                _images.Add(ImageRecords.Resolve(_store, given));
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteFailure(e, given);
            }
        }
    }

    /// <summary>Every image the pipeline gave, in one archive.</summary>
    protected override void EndProcessing()
    {
        if (_images.Count == 0)
        {
            return;
        }
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(path, $"Export {string.Join(", ", _images)} as {Format}"))
        {
            return;
        }
        try
        {
            ImageExport.Run(_store, _images.DistinctBy(i => i.Id).ToArray(), path, Format);
            WriteObject(InvokeProvider.Item.Get(path), enumerateCollection: true); // as Get-Item shows it
        }
        catch (Exception e) when (IsItemFailure(e))
        {
            WriteFailure(e, path);
        }
    }
}
