using System.Management.Automation;
using ContainerPS.Core.Images;

namespace ContainerPS.Commands;

/// <summary>Lists the images in the image store.</summary>
/// <remarks>
/// <para>
/// As docker images. Each image shows its repository and tag (its first name), short id, creation time and size; the
/// object holds all its names, its manifest digest, its layers (blob digest, diff_id, media type, size), platform and
/// import time. The store is /var/lib/containerps (CONTAINERPS_IMAGE_ROOT overrides it). A record that cannot be read
/// is an error of its own, and the other images are still listed.
/// </para>
/// </remarks>
/// <example>
/// <code>Get-ContainerImage</code>
/// Lists every image.
/// </example>
/// <example>
/// <code>Get-ContainerImage localhost:5000/* | Where-Object Size -gt 100MB | Remove-ContainerImage</code>
/// Removes the large images of one registry.
/// </example>
/// <seealso cref="ImportContainerImageCommand"/>
/// <seealso cref="RemoveContainerImageCommand"/>
[Cmdlet(VerbsCommon.Get, "ContainerImage", DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(ContainerImage))]
public sealed class GetContainerImageCommand : ContainerPSCmdlet
{
    /// <summary>Names to list, wildcards allowed ("web:*"); a name without a tag lists every tag of that repository, as docker images does. All images when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = ParameterSets.Name)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.ContainerImageCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Image ids or their prefixes (at least 4 hex digits, "sha256:" optional).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Id, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    protected override void ProcessRecord()
    {
        var store = ImageStore.Open();
        if (ParameterSetName == ParameterSets.Id)
        {
            foreach (var id in Id)
            {
                try
                {
                    WriteObject(ImageRecords.Resolve(store, id));
                }
                catch (Exception e) when (IsItemFailure(e))
                {
                    WriteFailure(e, id);
                }
            }
            return;
        }
        var images = store.Records(damaged => WriteError(ToErrorRecord(damaged, damaged.Target))).ToArray();
        if (Name is null)
        {
            WriteObject(images, enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.None);
            var repositoryOnly = !name[(name.LastIndexOf('/') + 1)..].Contains(':');
            var matches = images.Where(i => i.Names.Any(n => pattern.IsMatch(n) || repositoryOnly && pattern.IsMatch(n[..n.LastIndexOf(':')]))).ToArray();
            if (matches.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteFailure(ImageRecords.NotFound(name), name);
            }
            WriteObject(matches, enumerateCollection: true);
        }
    }
}
