using System.Management.Automation;
using ContainerPS.Core.Images;

namespace ContainerPS.Arguments;

/// <summary>
/// Binds New-Container -Image from a name or id as typed, or from a ContainerImage piped in (Import-ContainerImage,
/// Get-ContainerImage), which becomes its id: the image piped, not whatever holds its name by the time it binds.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ContainerImageTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) switch
        {
            ContainerImage image => image.Id,
            PSObject { Properties: var p } when p["Id"]?.Value is string id && id.StartsWith(Digest.Prefix, StringComparison.Ordinal) => id,
            var other => other,
        };
}
