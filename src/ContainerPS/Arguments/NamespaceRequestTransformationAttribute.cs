using System.Collections;
using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Interop;

namespace ContainerPS.Arguments;

/// <summary>
/// Binds New-Container -Namespace element by element: a kind to create (Pid, 'net', [NamespaceKind]::Uts) or a
/// Namespace object to join, so `-Namespace Pid,Mnt,(Get-Namespace -Container web -Kind Net)` reads as it means and
/// anything else fails at binding with the kinds that are valid.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NamespaceRequestTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        var items = value is IEnumerable many and not string ? many.Cast<object?>() : [value];
        try
        {
            return items.Select(ToRequest).ToArray();
        }
        catch (ContainerPSException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }

    private static NamespaceRequest ToRequest(object? item) => (item is PSObject wrapped ? wrapped.BaseObject : item) switch
    {
        NamespaceRequest request => request,
        NamespaceKind kind => new NamespaceRequest(kind),
        NamespaceInfo existing => new NamespaceRequest(existing),
        string kind => new NamespaceRequest(kind),
        var other => throw new ContainerPSException("InvalidNamespaceKind", FailureKind.InvalidArgument,
            $"'{other}' is neither a namespace kind nor a Namespace object. Valid kinds: {string.Join(", ", NamespaceKinds.All)}; or give a Namespace object (Get-Namespace) to join it.", other),
    };
}
