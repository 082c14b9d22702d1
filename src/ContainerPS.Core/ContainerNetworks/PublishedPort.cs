using System.Globalization;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

public enum PortProtocol
{
    Tcp,
    Udp,
}

/// <summary>A host port forwarded (DNAT) to a port of a container: "8080:80/tcp", as docker -p writes it.</summary>
public sealed class PublishedPort
{
    public required int HostPort { get; init; }
    public required int ContainerPort { get; init; }
    public PortProtocol Protocol { get; init; }

    /// <summary>"hostPort:containerPort[/tcp|udp]", tcp unless said.</summary>
    public static PublishedPort Parse(string text)
    {
        var slash = text.IndexOf('/');
        var ports = slash < 0 ? text : text[..slash];
        var protocol = slash < 0 ? "tcp" : text[(slash + 1)..].ToLowerInvariant();
        var parts = ports.Split(':');
        if (parts.Length != 2 || Port(parts[0]) is not { } host || Port(parts[1]) is not { } container || protocol is not ("tcp" or "udp"))
        {
            throw new ContainerPSException("InvalidPublish", FailureKind.InvalidArgument,
                $"-Publish '{text}' is not valid. Use hostPort:containerPort or hostPort:containerPort/udp, ports 1-65535, e.g. 8080:80 or 5353:53/udp.", text);
        }
        return new PublishedPort { HostPort = host, ContainerPort = container, Protocol = protocol == "udp" ? PortProtocol.Udp : PortProtocol.Tcp };
    }

    public override string ToString() => $"{HostPort}:{ContainerPort}/{Protocol.ToString().ToLowerInvariant()}";

    private static int? Port(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535 ? port : null;
}
