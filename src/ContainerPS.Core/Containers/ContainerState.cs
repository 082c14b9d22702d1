namespace ContainerPS.Core.Containers;

/// <summary>The OCI lifecycle states.</summary>
public enum ContainerState
{
    /// <summary>Init is waiting on the exec fifo; the user's process has not started.</summary>
    Created,
    Running,
    Paused,
    Stopped,

    /// <summary>
    /// A record that cannot be read whole: a state directory without its spec.json (a create killed before it recorded
    /// what it made, so nothing of it ran), or, found for Remove-Container -Force, one whose files are damaged.
    /// </summary>
    Damaged,
}
