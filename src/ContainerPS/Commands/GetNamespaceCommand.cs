using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>
/// Get-Namespace: every namespace on the host as lsns lists them, or those of a process (/proc/PID/ns), of a
/// container, or the persistent ones New-Namespace made (-Name).
/// </summary>
[Cmdlet(VerbsCommon.Get, "Namespace", DefaultParameterSetName = ParameterSets.All)]
[OutputType(typeof(NamespaceInfo))]
public sealed class GetNamespaceCommand : ContainerPSCmdlet
{
    [Parameter]
    public NamespaceKind[]? Kind { get; set; }

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
