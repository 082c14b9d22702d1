namespace ContainerPS;

/// <summary>
/// The parameter-set names of every cmdlet, in one place: a set named in an attribute and tested in ProcessRecord
/// must be the same string, and a typo in either would silently pick the default set.
/// </summary>
internal static class ParameterSets
{
    /// <summary>Things named by their name (containers, cgroups, links, persistent namespaces).</summary>
    public const string Name = "Name";

    /// <summary>Containers by id, the property Container objects bind by.</summary>
    public const string Id = "Id";

    /// <summary>Cgroups by their Path property.</summary>
    public const string Path = "Path";

    /// <summary>Containers by name, where the cmdlet's subject is something else (a cgroup, a namespace).</summary>
    public const string Container = "Container";

    /// <summary>Containers by id, where the cmdlet's subject is something else.</summary>
    public const string ContainerId = "ContainerId";

    /// <summary>Processes by pid.</summary>
    public const string Process = "Process";

    /// <summary>Links by index, the property address objects bind by.</summary>
    public const string Index = "Index";

    /// <summary>New-Container's root: a directory (-RootFs) or an image (-Image).</summary>
    public const string RootFs = "RootFs";

    public const string Image = "Image";

    /// <summary>New-Container from an OCI bundle (a directory with config.json and its root filesystem).</summary>
    public const string Bundle = "Bundle";

    /// <summary>Import-ContainerImage from a registry, by image reference.</summary>
    public const string Reference = "Reference";

    /// <summary>No filter: everything there is.</summary>
    public const string All = "All";
}
