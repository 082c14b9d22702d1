using System.Collections;
using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>
/// New-Container: creates a container whose process waits in its new namespaces (state Created) until Start-Container.
/// <code>New-ContainerRootFs ./rootfs -Busybox | New-Container -Command hostname -Hostname kevin | Start-Container -Attach</code>
/// </summary>
[Cmdlet(VerbsCommon.New, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(Container))]
public sealed class NewContainerCommand : CgroupLimitCmdlet
{
    /// <summary>The root filesystem directory; a RootFs object from New-ContainerRootFs binds by its Path.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string RootFs { get; set; } = "";

    /// <summary>The command and its arguments: an array (sh,-c,'...'), or the remaining words (echo hello world).</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    public string[]? Command { get; set; }

    /// <summary>A unique name to address the container by, instead of its id.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The hostname inside the container's UTS namespace.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Hostname { get; set; }

    /// <summary>
    /// The namespaces to create (by default pid, mnt, uts, ipc, net and cgroup), and existing ones to join, given as
    /// Namespace objects: -Namespace Pid,Mnt,Uts,(Get-Namespace -Container web -Kind Net).
    /// </summary>
    [Parameter]
    [NamespaceRequestTransformation]
    [ArgumentCompleter(typeof(Completion.NamespaceKindCompleter))]
    public NamespaceRequest[]? Namespace { get; set; }

    /// <summary>Environment variables of the command: @{ NAME = 'value' }.</summary>
    [Parameter]
    public Hashtable? Environment { get; set; }

    /// <summary>The directory inside the container the command starts in.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>Bind mounts, source:destination[:ro].</summary>
    [Parameter]
    public string[] Mount { get; set; } = [];

    /// <summary>Mount the root filesystem read-only inside the container.</summary>
    [Parameter]
    public SwitchParameter ReadOnlyRootFs { get; set; }

    /// <summary>Keep every capability instead of the default set (CAP_SYS_ADMIN included: mount works inside).</summary>
    [Parameter]
    public SwitchParameter Privileged { get; set; }

    /// <summary>
    /// none (the default: its own network namespace with only lo), host (the host's network namespace), or the name of
    /// a container network: eth0 with an address from it, a default route via its gateway, /etc/hosts and /etc/resolv.conf.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNetworkCompleter))]
    public string? Network { get; set; }

    /// <summary>The address on -Network, instead of the next free one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IPAddress { get; set; }

    /// <summary>hostPort:containerPort[/tcp|udp]: forwarded from every host address (127.0.0.1 too) to the container.</summary>
    [Parameter]
    public string[] Publish { get; set; } = [];

    protected override void ProcessRecord()
    {
        var rootfs = GetUnresolvedProviderPathFromPSPath(RootFs);
        if (!ShouldProcess(rootfs, "Create container" + (Name is null ? "" : $" '{Name}'")))
        {
            return;
        }
        try
        {
            WriteObject(ContainerCreate.Run(Store, Options(rootfs), RuntimePath));
        }
        catch (Exception e) when (IsItemFailure(e))
        {
            WriteFailure(e, rootfs);
        }
    }

    private CreateOptions Options(string rootfs) => new()
    {
        RootFs = rootfs,
        Name = Name,
        Command = Command,
        Hostname = Hostname,
        Namespaces = Namespace?.Any(n => n.JoinPath is null) == true
            ? Namespace.Where(n => n.JoinPath is null).Aggregate((NamespaceKind)0, (all, n) => all | n.Kind)
            : null,
        JoinNamespaces = Namespace?.Where(n => n.JoinPath is not null).Select(n => (n.Kind, n.JoinPath!)).ToArray() ?? [],
        Environment = EnvironmentOf(Environment) ?? [],
        WorkingDirectory = WorkingDirectory,
        Mounts = Mount.Select(ResolveMountSource).ToArray(),
        ReadOnlyRootFs = ReadOnlyRootFs,
        Privileged = Privileged,
        Limits = Limits,
        Network = Network,
        IPAddress = IPAddress,
        Publish = Publish,
    };

    /// <summary>A relative mount source is relative to the current PowerShell location, not the process's cwd.</summary>
    private string ResolveMountSource(string mount)
    {
        var colon = mount.IndexOf(':');
        return colon <= 0 || mount.StartsWith('/') ? mount : GetUnresolvedProviderPathFromPSPath(mount[..colon]) + mount[colon..];
    }
}
