using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Network;

/// <summary>
/// Names a network namespace to act in or move a link to: a process's (/proc/PID/ns/net), a bind-mounted nsfs
/// file (/run/netns/NAME, as `ip netns` makes them), or an open descriptor of either.
/// </summary>
public sealed class NetworkNamespace
{
    private readonly string? _path;
    private readonly SafeFd? _descriptor;

    private NetworkNamespace(string? path, SafeFd? descriptor)
    {
        _path = path;
        _descriptor = descriptor;
    }

    /// <summary>The network namespace process <paramref name="pid"/> is in.</summary>
    public static NetworkNamespace Process(int pid) =>
        pid > 0
            ? new($"/proc/{pid}/ns/net", null)
            : throw new ArgumentOutOfRangeException(nameof(pid), pid, "A process id is a positive number.");

    /// <summary>An nsfs file: /proc/PID/ns/net or a bind mount of one such as /run/netns/NAME.</summary>
    public static NetworkNamespace File(string path) =>
        string.IsNullOrEmpty(path) ? throw new ArgumentException("The namespace path is empty.", nameof(path)) : new(path, null);

    /// <summary>A namespace `ip netns add NAME` made: /run/netns/NAME.</summary>
    public static NetworkNamespace Named(string name) =>
        string.IsNullOrEmpty(name) || name.Contains('/') || name is "." or ".."
            ? throw new ArgumentException($"Network namespace name '{name}' is not valid: it names a file in /run/netns, so it must be non-empty, without '/', and not '.' or '..'.", nameof(name))
            : new($"/run/netns/{name}", null);

    /// <summary>An open namespace descriptor; the caller keeps it and closes it.</summary>
    public static NetworkNamespace Descriptor(SafeFd fd) => new(null, fd ?? throw new ArgumentNullException(nameof(fd)));

    public override string ToString() => _path ?? $"namespace fd {_descriptor!.Value}";

    /// <summary>A descriptor of the namespace that the caller owns and closes after use.</summary>
    internal SafeFd Open() => _path is not null ? Sys.Open(_path, O_RDONLY) : NetlinkCalls.Duplicate(_descriptor!);
}
