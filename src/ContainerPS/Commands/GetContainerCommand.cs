using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Gets containers with their state (Created, Running, Paused, Stopped) read from the kernel.</summary>
/// <remarks>
/// <para>
/// The containers are those recorded under /run/containerps/, by any session; each state is checked against the
/// kernel when read, so a container whose process died shows Stopped. This is runc list or docker ps -a.
/// </para>
/// </remarks>
/// <example>
/// <code>Get-Container</code>
/// Lists every container: Name, Id, State, Pid and ExitCode.
/// </example>
/// <example>
/// <code>Get-Container web* -State Running | Stop-Container</code>
/// Stops the running containers whose names begin with web.
/// </example>
/// <seealso cref="NewContainerCommand"/>
/// <seealso cref="WaitContainerCommand"/>
/// <seealso cref="RemoveContainerCommand"/>
[Cmdlet(VerbsCommon.Get, "Container", DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(Container))]
public sealed class GetContainerCommand : ContainerPSCmdlet
{
    /// <summary>Containers by name; wildcards are allowed (web*), and an id prefix matches too.</summary>
    [Parameter(Position = 0, ParameterSetName = ParameterSets.Name)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Containers by id or a unique id prefix; Container objects from the pipeline bind here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Id, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>Only containers in these states: Created, Running, Paused, Stopped.</summary>
    [Parameter]
    public ContainerState[]? State { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ParameterSets.Id)
        {
            foreach (var id in Id)
            {
                try
                {
                    WriteMatching([ContainerQuery.Find(Store, id)]);
                }
                catch (ContainerPSException e)
                {
                    WriteFailure(e, id);
                }
            }
            return;
        }
        var all = ContainerQuery.All(Store).ToArray();
        if (Name is null)
        {
            WriteMatching(all);
            return;
        }
        foreach (var name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = all.Where(c => pattern.IsMatch(c.Name) || c.Id.StartsWith(name, StringComparison.Ordinal)).ToArray();
            if (matches.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteFailure(new ContainerPSException("ContainerNotFound", FailureKind.ObjectNotFound,
                    $"No container has the name or id '{name}'. Get-Container with no arguments lists the containers there are.", name), name);
            }
            WriteMatching(matches);
        }
    }

    private void WriteMatching(IEnumerable<Container> containers)
    {
        foreach (var container in containers.Where(c => State is null || State.Contains(c.State)))
        {
            WriteObject(container);
        }
    }
}
