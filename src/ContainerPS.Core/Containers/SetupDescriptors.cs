using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Containers;

/// <summary>
/// The descriptor numbers at which the container's setup steps hold the root, a mount target and a fresh tmpfs while
/// they work: a step list is laid out before the clone, so a later step can only name what an earlier one opened by
/// a number known in advance (mount on /proc/self/fd/N). The shim holds a descriptor at each number until the clone,
/// so nothing else it opens lands there; the child's dup3 replaces its copies, and its close_range closes them all
/// before execve.
/// </summary>
public sealed class SetupDescriptors : IDisposable
{
    private readonly SafeFd[] _held;

    private SetupDescriptors(SafeFd[] held) => _held = held;

    public int Root => _held[0].Value;

    public int Target => _held[1].Value;

    /// <summary>The tmpfs the steps are filling: /dev with its nodes, then /tmp with the user's mount points below it.</summary>
    public int Tmpfs => _held[2].Value;

    public static SetupDescriptors Reserve()
    {
        using var placeholder = Sys.Open("/dev/null", O_RDONLY);
        // Above stdio, which the child's own dup3 steps fill, and apart from whatever the shim has open now.
        return new SetupDescriptors([Sys.Duplicate(placeholder.Value, lowest: 3), Sys.Duplicate(placeholder.Value, lowest: 3), Sys.Duplicate(placeholder.Value, lowest: 3)]);
    }

    public void Dispose()
    {
        foreach (var fd in _held)
        {
            fd.Dispose();
        }
    }
}
