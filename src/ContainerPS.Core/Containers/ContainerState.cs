namespace ContainerPS.Core.Containers;

/// <summary>The OCI lifecycle states.</summary>
public enum ContainerState
{
    /// <summary>Init is waiting on the exec fifo; the user's process has not started.</summary>
    Created,
    Running,
    Paused,
    Stopped,
}
