using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Gets containers with their state (Created, Running, Paused, Stopped) read from the kernel.</summary>
/// <remarks>
/// <para>
/// The containers are those recorded under /run/containerps/, by any session; each state is checked against the
/// kernel when read, so a container whose process died shows Stopped. This is runc list or docker ps -a.
/// </para>
/// <para>
/// Each record is read on its own. One whose spec.json or state.json cannot be read is one ContainerRecordDamaged error
/// (its id as target, the file and the problem in the message) and the others are listed as usual; Remove-Container
/// -Id ID -Force removes it. A create killed before it recorded its spec leaves a directory and a name: that is listed
/// as a container in state Damaged, which Remove-Container removes.
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
/// <example>
/// <code>Get-Container -Root /run/containerd/runc/default | Get-CgroupStat</code>
/// Lists the containers containerd made in its default namespace through containerps-runtime (its --runc-binary), and
/// the cgroup statistics of each: the same objects, from the same state format.
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

    /// <summary>
    /// The state store to look in: the --root an OCI engine gave containerps-runtime (containerd:
    /// /run/containerd/runc/NAMESPACE), instead of /run/containerps.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Root { get; set; }

    protected override string? StoreRoot => Root;

    /// <summary>Only containers in these states: Created, Running, Paused, Stopped, Damaged (a create that never finished).</summary>
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
                    WriteMatching([ContainerQuery.FindById(Store, id)]);
                }
                catch (ContainerPSException e)
                {
                    WriteFailure(e, id);
                }
            }
            return;
        }
        var patterns = Name?.Select(PatternOf).OfType<(string Text, WildcardPattern Pattern)>().ToArray();
        // A record that cannot be read is one error of its own (when asked for), and the others are listed as usual.
        var damaged = new List<RecordDamagedException>();
        var all = ContainerQuery.All(Store, damaged.Add).ToArray();
        foreach (var error in damaged)
        {
            var id = (string)error.Target!;
            if (patterns is null || patterns.Any(p => p.Pattern.IsMatch(Store.NameOf(id) ?? "") || id.StartsWith(p.Text, StringComparison.Ordinal)))
            {
                WriteFailure(error, id);
            }
        }
        if (patterns is null)
        {
            WriteMatching(all);
            return;
        }
        foreach (var (name, pattern) in patterns)
        {
            var matches = all.Where(c => pattern.IsMatch(c.Name) || c.Id.StartsWith(name, StringComparison.Ordinal)).ToArray();
            if (matches.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name) && !damaged.Any(e => Store.NameOf((string)e.Target!) == name))
            {
                WriteFailure(new ContainerPSException("ContainerNotFound", FailureKind.ObjectNotFound,
                    $"No container has the name or id '{name}'. Get-Container with no arguments lists the containers there are.", name), name);
            }
            WriteMatching(matches);
        }
    }

    /// <summary>The pattern a -Name stands for; one that is not a valid wildcard pattern is an error of its own.</summary>
    private (string, WildcardPattern)? PatternOf(string name)
    {
        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
        try
        {
            pattern.IsMatch(""); // the pattern is parsed on first use
            return (name, pattern);
        }
        catch (WildcardPatternException e)
        {
            WriteFailure(new ContainerPSException("InvalidNamePattern", FailureKind.InvalidArgument,
                $"-Name '{name}' is not a valid wildcard pattern ({e.Message}). Container names hold only letters, digits, '_', '.' and '-'; use * and ? to match several, or escape [ and ] with a backquote.", name, e), name);
            return null;
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
