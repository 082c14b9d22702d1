using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;
using ContainerPS.Core.Interop;

namespace ContainerPS;

/// <summary>
/// What the link, address and route cmdlets share: netlink sockets per namespace, opened once per command and
/// reused for every pipeline item (a socket per request would cost more than the requests), closed at the end.
/// Objects they emit carry the namespace they were read in, so piping them on acts in the same namespace.
/// </summary>
public abstract class NetworkCmdlet : ContainerPSCmdlet, IDisposable
{
    private readonly Dictionary<string, NetlinkSocket> _sockets = [];

    /// <summary>
    /// The namespace to act in: an explicit -Namespace wins; else where a piped object was read (its NamespacePath);
    /// else the host's.
    /// </summary>
    protected (NetlinkSocket Socket, string? Path) SocketFor(NetworkNamespaceTarget? target, string? namespacePath = null)
    {
        var (ns, path) = target is not null
            ? target.Resolve(Store)
            : (NetworkNamespaceTarget.FromPath(namespacePath), string.IsNullOrEmpty(namespacePath) ? null : namespacePath);
        var key = path ?? "";
        if (!_sockets.TryGetValue(key, out var socket))
        {
            _sockets[key] = socket = ns is null ? NetlinkSocket.Open() : NetlinkSocket.Open(ns);
        }
        return (socket, path);
    }

    protected void WriteLink(NetlinkSocket socket, string? path, int index) => WriteObject(Link.Get(socket, index) with { NamespacePath = path });

    protected static NetworkLink FindLink(NetlinkSocket socket, string name, string? path) =>
        Link.TryGet(socket, name) ?? throw new Core.Interop.ContainerPSException("LinkNotFound", Core.Interop.FailureKind.ObjectNotFound,
            $"No network link is named '{name}'{(path is null ? " in this network namespace" : $" in {path}")}. Get-NetworkLink lists them; a link moved into a container is listed with Get-NetworkLink -Namespace (Get-Container NAME).", name);

    /// <summary>Runs one item's work, turning its failure into a non-terminating error.</summary>
    protected void ForItem(object? target, Action work)
    {
        try
        {
            work();
        }
        catch (Exception e) when (IsItemFailure(e))
        {
            WriteFailure(e, target);
        }
    }

    public void Dispose()
    {
        foreach (var socket in _sockets.Values)
        {
            socket.Dispose();
        }
        _sockets.Clear();
        GC.SuppressFinalize(this);
    }
}
