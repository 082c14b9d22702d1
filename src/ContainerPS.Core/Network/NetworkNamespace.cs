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
            : throw new ContainerPSException("InvalidProcessId", FailureKind.InvalidArgument, $"{pid} is not a process id: a process id is a positive number.", pid);

    /// <summary>An nsfs file: /proc/PID/ns/net or a bind mount of one such as /run/netns/NAME.</summary>
    public static NetworkNamespace File(string path) =>
        string.IsNullOrEmpty(path)
            ? throw new ContainerPSException("InvalidNamespacePath", FailureKind.InvalidArgument, "The namespace path is empty. Give an nsfs file such as /proc/PID/ns/net or /run/netns/NAME.", path)
            : new(path, null);

    /// <summary>A namespace `ip netns add NAME` made: /run/netns/NAME.</summary>
    public static NetworkNamespace Named(string name) =>
        string.IsNullOrEmpty(name) || name.Contains('/') || name is "." or ".."
            ? throw new ContainerPSException("InvalidNamespaceName", FailureKind.InvalidArgument,
                $"Network namespace name '{name}' is not valid: it names a file in /run/netns, so it must be non-empty, without '/', and not '.' or '..'.", name)
            : new($"/run/netns/{name}", null);

    /// <summary>An open namespace descriptor; the caller keeps it and closes it.</summary>
    public static NetworkNamespace Descriptor(SafeFd fd) => new(null, fd ?? throw new ArgumentNullException(nameof(fd)));

    public override string ToString() => _path ?? $"namespace fd {_descriptor!.Value}";

    /// <summary>A descriptor of the namespace that the caller owns and closes after use.</summary>
    internal SafeFd Open() => _path is not null ? Sys.Open(_path, O_RDONLY) : NetlinkCalls.Duplicate(_descriptor!);
}
