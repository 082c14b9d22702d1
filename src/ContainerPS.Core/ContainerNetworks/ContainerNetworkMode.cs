using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// What New-Container -Network means for the namespaces: none (the default) is a net namespace of its own with
/// only lo; host is no net namespace, the host's network; slirp4netns is a net namespace of its own joined to the
/// host by a user-mode stack (<see cref="SlirpNetwork"/>); a network's name needs the container's own net namespace,
/// where its veth goes.
/// </summary>
public static class ContainerNetworkMode
{
    public const string None = "none", Host = "host", Slirp = "slirp4netns";

    public static bool IsHost(string? network) => string.Equals(network, Host, StringComparison.OrdinalIgnoreCase);

    public static bool IsNone(string? network) => network is null || string.Equals(network, None, StringComparison.OrdinalIgnoreCase);

    public static bool IsSlirp(string? network) => string.Equals(network, Slirp, StringComparison.OrdinalIgnoreCase);

    public static bool IsNamed(string? network) => !IsNone(network) && !IsHost(network) && !IsSlirp(network);

    /// <summary>
    /// The namespace kinds to create, given -Network: host drops Net from the default set (and refuses an explicit
    /// one); a named network and slirp4netns need Net created. -IPAddress needs a named network, -Publish a named
    /// network or slirp4netns.
    /// </summary>
    public static NamespaceKind ApplyTo(NamespaceKind namespaces, CreateOptions options)
    {
        var network = options.Network;
        if ((!IsNamed(network) && options.IPAddress is not null) || (!IsNamed(network) && !IsSlirp(network) && options.Publish.Length > 0))
        {
            var given = options.IPAddress is not null ? "-IPAddress" : "-Publish";
            throw new ContainerPSException("NetworkOptionNeedsNetwork", FailureKind.InvalidArgument,
                $"{given} needs -Network with the name of a container network (New-ContainerNetwork makes one){(given == "-Publish" ? " or -Network slirp4netns" : "")}; with -Network {network ?? None} the container has {(IsHost(network) ? "the host's own addresses and ports" : IsSlirp(network) ? "the address slirp4netns gives, 10.0.2.100" : "no address but 127.0.0.1")}.", given);
        }
        if (IsHost(network))
        {
            if (options.JoinNamespaces.Any(j => j.Kind == NamespaceKind.Net) || (options.Namespaces is not null && namespaces.HasFlag(NamespaceKind.Net)))
            {
                throw new ContainerPSException("NetworkConflictsWithNamespace", FailureKind.InvalidArgument,
                    "-Network host runs the container in the host's network namespace, but -Namespace asks for another one. Leave Net out of -Namespace.", network);
            }
            return namespaces & ~NamespaceKind.Net;
        }
        if ((IsNamed(network) || IsSlirp(network)) && !namespaces.HasFlag(NamespaceKind.Net))
        {
            throw new ContainerPSException("NetworkNeedsNetNamespace", FailureKind.InvalidArgument,
                $"-Network {network} gives the container an interface in its own network namespace, but -Namespace {(options.JoinNamespaces.Any(j => j.Kind == NamespaceKind.Net) ? "joins another's" : "creates none")}. Add Net to -Namespace.", network);
        }
        return namespaces;
    }
}
