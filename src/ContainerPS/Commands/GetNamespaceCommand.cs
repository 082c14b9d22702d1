using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Gets namespaces: all of the host's, a process's, a container's, or persistent ones.</summary>
/// <remarks>
/// <para>
/// Without parameters it lists every namespace on the host as lsns does: kind, inode, number of processes, the lowest
/// pid in it and its command. -Process reads /proc/PID/ns, -Container a container's, -Name the persistent namespaces
/// New-Namespace made. Each carries the nsfs path to join it by (New-Container -Namespace, Enter-Namespace).
/// </para>
/// </remarks>
/// <example>
/// <code>Get-Namespace -Kind Net,Pid</code>
/// The host's network and pid namespaces, as lsns -t net -t pid.
/// </example>
/// <example>
/// <code>Get-Container web | Get-Namespace -Kind Net</code>
/// web's network namespace, ready to pass to New-Container -Namespace or Enter-Namespace.
/// </example>
/// <example>
/// <code>Get-Namespace -Process $PID</code>
/// The namespaces of this PowerShell process, as ls -l /proc/$PID/ns shows them.
/// </example>
/// <seealso cref="NewNamespaceCommand"/>
/// <seealso cref="EnterNamespaceCommand"/>
[Cmdlet(VerbsCommon.Get, "Namespace", DefaultParameterSetName = ParameterSets.All)]
[OutputType(typeof(NamespaceInfo))]
public sealed class GetNamespaceCommand : ContainerPSCmdlet
{
    /// <summary>Only namespaces of these kinds: Mnt, Uts, Ipc, Pid, Net, User, Cgroup, Time.</summary>
    [Parameter]
    public NamespaceKind[]? Kind { get; set; }

    /// <summary>Process ids whose namespaces to list, from /proc/PID/ns.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Process)]
    [Alias("Pid")]
    public int[] Process { get; set; } = [];

    /// <summary>Containers by name (a Container object given here binds by its name).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Container)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNameCompleter))]
    public string[] Container { get; set; } = [];

    /// <summary>Containers by id: Container objects from the pipeline bind here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.ContainerId, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerIdCompleter))]
    public string[] ContainerId { get; set; } = [];

    /// <summary>Persistent namespaces by name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Name, Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.PersistentNamespaceCompleter))]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case ParameterSets.Process:
                foreach (var pid in Process)
                {
                    Write(NamespaceScan.OfProcess(pid), pid, $"No process has the id {pid}.");
                }
                break;
            case ParameterSets.Container:
            case ParameterSets.ContainerId:
                foreach (var key in ParameterSetName == ParameterSets.Container ? Container : ContainerId)
                {
                    try
                    {
                        var container = ContainerQuery.Find(Store, key);
                        var spec = Store.ReadSpec(container.Id)!;
                        var found = container.Pid is { } pid ? NamespaceScan.OfProcess(pid)?.Select(n => n with { Container = container.Name }) : null;
                        Write(found?.ToArray(), container, $"Container '{container.Name}' is {container.State}: a stopped container has no namespaces.");
                    }
                    catch (ContainerPSException e)
                    {
                        WriteFailure(e, key);
                    }
                }
                break;
            case ParameterSets.Name:
                var persistent = NamespaceScan.All().Where(n => n.Name is not null).ToArray();
                foreach (var name in Name)
                {
                    var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                    var matches = persistent.Where(n => pattern.IsMatch(n.Name!)).ToArray();
                    Write(matches.Length > 0 || WildcardPattern.ContainsWildcardCharacters(name) ? matches : null, name,
                        $"No persistent namespace is named '{name}'. New-Namespace makes one.");
                }
                break;
            default:
                var byPid = ContainerQuery.All(Store).Where(c => c.Pid is not null).ToDictionary(c => c.Pid!.Value, c => c.Name);
                Write(NamespaceScan.All().Select(n => byPid.TryGetValue(n.Pid, out var c) ? n with { Container = c } : n).ToArray(), null, "");
                break;
        }
    }

    private void Write(IReadOnlyList<NamespaceInfo>? namespaces, object? target, string notFound)
    {
        if (namespaces is null)
        {
            WriteFailure(new ContainerPSException(target is Container ? "ContainerNotRunning" : "NamespaceNotFound", FailureKind.ObjectNotFound, notFound, target), target);
            return;
        }
        WriteObject(namespaces.Where(n => Kind is null || Kind.Contains(n.Kind)), enumerateCollection: true);
    }
}
