using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Network;

namespace ContainerPS;

/// <summary>
/// What a -Namespace argument of the networking cmdlets may be, turned into the network namespace to act in: a pid,
/// a Container (or its name), a Namespace object of kind Net, an `ip netns` name, a persistent namespace name, or a
/// path to an nsfs file. Null means the host's (our own) namespace. The path is kept so output objects can carry it.
/// </summary>
public static class NetworkNamespaceArgument
{
    public static (NetworkNamespace? Namespace, string? Path) Resolve(object? target, ContainerStore store)
    {
        var value = target is PSObject wrapped ? wrapped.BaseObject : target;
        var path = value switch
        {
            null => null,
            int or long => ProcessPath(Convert.ToInt32(value)),
            Container container => ContainerPath(store, container.Id),
            NamespaceInfo { Kind: NamespaceKind.Net } ns => ns.Path,
            NamespaceInfo ns => throw Invalid($"The namespace {ns} is a {ns.Kind} namespace; networking needs a Net namespace."),
            string text when int.TryParse(text, out var pid) => ProcessPath(pid),
            string path2 when path2.StartsWith('/') => File.Exists(path2) ? path2 : throw NotFound($"There is no namespace file at {path2}."),
            string name when File.Exists(Path.Combine(PersistentNamespace.IpNetnsDir, name)) => Path.Combine(PersistentNamespace.IpNetnsDir, name),
            string name when File.Exists(Path.Combine(PersistentNamespace.Dir(name), "net")) => Path.Combine(PersistentNamespace.Dir(name), "net"),
            string name => ContainerPath(store, ContainerQuery.Find(store, name).Id),
            _ when PSObject.AsPSObject(value).Properties["Id"]?.Value is string id => ContainerPath(store, id),
            _ => throw Invalid($"-Namespace '{value}' does not name a network namespace. Give a pid, a Container, a Namespace object of kind Net, an 'ip netns' name, or a path such as /run/netns/NAME."),
        };
        return (path is null ? null : NetworkNamespace.File(path), path);
    }

    /// <summary>The namespace an object was read in (its NamespacePath), as a target.</summary>
    public static NetworkNamespace? FromPath(string? path) => string.IsNullOrEmpty(path) ? null : NetworkNamespace.File(path);

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

    private static ContainerPSException Invalid(string message) => new("InvalidNamespaceTarget", FailureKind.InvalidArgument, message);

    private static ContainerPSException NotFound(string message) => new("NamespaceNotFound", FailureKind.ObjectNotFound, message);
}
