using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Interop;

namespace ContainerPS.Arguments;

/// <summary>
/// One element of New-Container -Namespace: a kind to create (Pid, Net, ...) or an existing namespace to join,
/// given as a Namespace object from Get-Namespace or New-Namespace; <see cref="NamespaceRequestTransformationAttribute"/>
/// makes one of each element the user gives.
/// </summary>
public sealed class NamespaceRequest
{
    public NamespaceRequest(NamespaceKind kind) => Kind = kind;

    public NamespaceRequest(NamespaceInfo existing)
    {
        Kind = existing.Kind;
        JoinPath = existing.Path;
    }

    public NamespaceRequest(string kind) => Kind = NamespaceKinds.All.FirstOrDefault(k => k.ToString().Equals(kind, StringComparison.OrdinalIgnoreCase)) is var found && found != 0
        ? found
        : throw new ContainerPSException("InvalidNamespaceKind", FailureKind.InvalidArgument,
            $"'{kind}' is not a namespace kind. Valid kinds: {string.Join(", ", NamespaceKinds.All)}; or give a Namespace object (Get-Namespace) to join it.", kind);

    public NamespaceKind Kind { get; }

    /// <summary>The namespace to join; null means create a new one of <see cref="Kind"/>.</summary>
    public string? JoinPath { get; }

    public override string ToString() => JoinPath is null ? Kind.ToString() : $"{Kind}={JoinPath}";
}
