using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Arguments;

/// <summary>
/// Binds a -Namespace of the networking cmdlets as a <see cref="NetworkNamespaceTarget"/>, so what cannot name a network
/// namespace fails at binding with the reason, and the parameter has a type Get-Command and help can show.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NetworkNamespaceTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        try
        {
            return inputData is null ? null : NetworkNamespaceTarget.From(inputData);
        }
        catch (ContainerPSException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
