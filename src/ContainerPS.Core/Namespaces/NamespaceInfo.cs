namespace ContainerPS.Core.Namespaces;

/// <summary>
/// One namespace, as lsns shows it: its kind and identity (the nsfs device and inode, what /proc/PID/ns/* links
/// name), how many processes are in it and the lowest of them, and the user namespace that owns it. A named
/// namespace made by New-Namespace also has its Name and the Path of its bind mount.
/// </summary>
public sealed record NamespaceInfo
{
    public required NamespaceKind Kind { get; init; }
    public required ulong Inode { get; init; }
    public required ulong Device { get; init; }
    public int Processes { get; init; }

    /// <summary>The lowest pid in the namespace (lsns's PID column); 0 for a namespace only a bind mount holds.</summary>
    public int Pid { get; init; }

    public string? Command { get; init; }
    public int? Uid { get; init; }

    /// <summary>Inode of the user namespace that owns this one.</summary>
    public ulong? UserNamespace { get; init; }

    /// <summary>The name given to New-Namespace, for a persistent namespace.</summary>
    public string? Name { get; init; }

    /// <summary>The container this is a namespace of, when one is.</summary>
    public string? Container { get; init; }

    /// <summary>A path to open to join it: /proc/PID/ns/KIND, or the bind mount of a persistent namespace.</summary>
    public required string Path { get; init; }

    public override string ToString() => $"{Kind.ProcName()}:[{Inode}]";
}
