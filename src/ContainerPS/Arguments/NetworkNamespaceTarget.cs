using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Network;
using ContainerPS.Core.Interop;

namespace ContainerPS.Arguments;

/// <summary>
/// What a -Namespace of the networking cmdlets names: a pid, a Container (or its name or id), a Namespace object of kind
/// Net, an `ip netns` name, a persistent namespace name, or a path to an nsfs file. It is typed at binding (so a
/// hashtable or a Pid namespace is refused there) and found in the kernel only when the command runs, when the
/// container may have started.
/// </summary>
public sealed class NetworkNamespaceTarget
{
    private readonly int? _pid;
    private readonly string? _containerId;
    private readonly string? _path;
    private readonly string? _name;

    private NetworkNamespaceTarget(int? pid = null, string? containerId = null, string? path = null, string? name = null)
    {
        (_pid, _containerId, _path, _name) = (pid, containerId, path, name);
    }

    /// <summary>Types a value as users give it; throws InvalidNamespaceTarget for anything that cannot name a network namespace.</summary>
    public static NetworkNamespaceTarget From(object? value) => Typed(value is PSObject wrapped ? wrapped.BaseObject : value);

    private static NetworkNamespaceTarget Typed(object? value) => value switch
    {
        NetworkNamespaceTarget target => target,
        int or long or uint => new(pid: Convert.ToInt32(value)),
        Container container => new(containerId: container.Id),
        NamespaceInfo { Kind: NamespaceKind.Net } ns => new(path: ns.Path),
        NamespaceInfo ns => throw Invalid($"The namespace {ns} is a {ns.Kind} namespace; networking needs a Net namespace (Get-Namespace -Kind Net).", ns),
        string text when int.TryParse(text, out var pid) => new(pid: pid),
        string path when path.StartsWith('/') => new(path: path),
        string name when name.Length > 0 => new(name: name),
        // A Container that came back through remoting has lost its type but kept its Id.
        { } other when PSObject.AsPSObject(other).Properties["Id"]?.Value is string id => new(containerId: id),
        var other => throw Invalid($"-Namespace '{other}' does not name a network namespace. Give a pid, a Container, a Namespace object of kind Net, an 'ip netns' name, or a path such as /run/netns/NAME.", other),
    };

    /// <summary>The namespace to open and the nsfs path output objects carry; throws when it is gone or not running.</summary>
    public (NetworkNamespace Namespace, string Path) Resolve(ContainerStore store)
    {
        var path = _pid is { } pid ? ProcessPath(pid)
            : _containerId is not null ? ContainerPath(store, _containerId)
            : _path is not null ? File.Exists(_path) ? _path : throw NotFound($"There is no namespace file at {_path}.")
            : NamedPath(store, _name!);
        return (NetworkNamespace.File(path), path);
    }

    /// <summary>The namespace an object was read in (its NamespacePath), or null for our own.</summary>
    public static NetworkNamespace? FromPath(string? path) => string.IsNullOrEmpty(path) ? null : NetworkNamespace.File(path);

    public override string ToString() => _pid?.ToString() ?? _containerId ?? _path ?? _name!;

    private static string NamedPath(ContainerStore store, string name)
    {
        var ipNetns = Path.Combine(PersistentNamespace.IpNetnsDir, name);
        var persistent = Path.Combine(PersistentNamespace.Dir(name), "net");
        return File.Exists(ipNetns) ? ipNetns
            : File.Exists(persistent) ? persistent
            : ContainerPath(store, ContainerQuery.Find(store, name).Id);
    }

    private static string ProcessPath(int pid) =>
        File.Exists($"/proc/{pid}/ns/net") ? $"/proc/{pid}/ns/net" : throw NotFound($"No process has the id {pid}, so it has no network namespace.");

    private static string ContainerPath(ContainerStore store, string id)
    {
        var container = ContainerQuery.Find(store, id);
        return container.Pid is { } pid && container.State != ContainerState.Stopped
            ? ProcessPath(pid)
            : throw new ContainerPSException("ContainerNotRunning", FailureKind.InvalidOperation,
                $"Container '{container.Name}' is {container.State}; a stopped container has no network namespace.", container);
    }

    private static ContainerPSException Invalid(string message, object? value) => new("InvalidNamespaceTarget", FailureKind.InvalidArgument, message, value);

    private static ContainerPSException NotFound(string message) => new("NamespaceNotFound", FailureKind.ObjectNotFound, message);
}
