using System.Management.Automation;

namespace ContainerPS;

/// <summary>
/// What the cmdlets that act on stored images share: images by name (a name without a tag meaning :latest) or by
/// id, ContainerImage objects binding by their Id, and the names completing with Tab.
/// </summary>
public abstract class ImageTargetCmdlet : ContainerPSCmdlet
{
    /// <summary>Names or ids of images; a name without a tag means its :latest.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParameterSets.Name)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerImageCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Image ids or their prefixes (4 hex digits or more, "sha256:" optional); ContainerImage objects bind by their Id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Id, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary>What this record of the pipeline names, by whichever parameter was given.</summary>
    protected IEnumerable<string> Given => ParameterSetName == ParameterSets.Id ? Id : Name;
}
