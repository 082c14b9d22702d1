namespace ContainerPS.Core.Containers;

/// <summary>One line a container wrote, with when and on which stream.</summary>
public sealed class ContainerLogEntry
{
    public required DateTime Timestamp { get; init; }
    public required string Stream { get; init; }
    public required string Text { get; init; }
    public string? ContainerName { get; init; }

    public override string ToString() => Text;
}
