namespace ContainerPS.Core.Containers;

/// <summary>How a container ended, as Wait-Container reports it.</summary>
public sealed class ContainerExit
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public int? ExitCode { get; init; }
    public int? ExitSignal { get; init; }

    /// <summary>The memory limit was hit and the OOM killer killed a process of the container.</summary>
    public bool OomKilled { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }

    /// <summary>How long the user's process ran, from start to exit.</summary>
    public TimeSpan? Duration => StartedAt is { } start && FinishedAt is { } end ? end - start : null;

    public static ContainerExit Of(Container container) => new()
    {
        Id = container.Id,
        Name = container.Name,
        ExitCode = container.ExitCode,
        ExitSignal = container.ExitSignal,
        OomKilled = container.OomKilled,
        StartedAt = container.StartedAt,
        FinishedAt = container.FinishedAt,
    };
}
