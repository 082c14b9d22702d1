namespace ContainerPS.Core.Cgroups;

/// <summary>A group of ours as Get-Cgroup shows it: where it is in each hierarchy and who is in it.</summary>
public sealed class CgroupInfo
{
    /// <summary>The name below containerps/ ("web", "batch/low", or a container's id).</summary>
    public required string Name { get; init; }

    /// <summary>The path in every hierarchy, relative to its root ("containerps/web").</summary>
    public required string Path { get; init; }

    /// <summary>The container this group belongs to, if it is a container's.</summary>
    public string? Container { get; init; }

    public required int[] Processes { get; init; }

    /// <summary>Where the group exists, one "controllers: directory" entry per hierarchy.</summary>
    public required string[] Hierarchies { get; init; }

    public override string ToString() => Name;
}
