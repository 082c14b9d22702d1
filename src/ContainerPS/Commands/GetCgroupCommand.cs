using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>
/// Get-Cgroup: our groups (below containerps/), or with -Process the groups any process is in, one per hierarchy,
/// as /proc/PID/cgroup lists them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Cgroup", DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(CgroupInfo), ParameterSetName = [ParameterSets.Name])]
[OutputType(typeof(ProcessCgroup), ParameterSetName = [ParameterSets.Process])]
public sealed class GetCgroupCommand : ContainerPSCmdlet
{
    [Parameter(Position = 0, ParameterSetName = ParameterSets.Name)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.CgroupNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Process, ValueFromPipelineByPropertyName = true)]
    [Alias("Pid")]
    public int[] Process { get; set; } = [];

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ParameterSets.Process)
        {
            foreach (var pid in Process)
            {
                if (ProcessCgroup.Of(pid) is { } entries)
                {
                    WriteObject(entries, enumerateCollection: true);
                }
                else
                {
                    WriteFailure(new ContainerPSException("ProcessNotFound", FailureKind.ObjectNotFound, $"No process has the id {pid}.", pid), pid);
                }
            }
            return;
        }
        var all = CgroupQuery.All(Store).ToArray();
        foreach (var name in Name ?? ["*"])
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = all.Where(c => pattern.IsMatch(c.Name) || c.Container is { } container && pattern.IsMatch(container)).ToArray();
            if (matches.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteFailure(new ContainerPSException("CgroupNotFound", FailureKind.ObjectNotFound,
                    $"No cgroup '{name}' exists under {Cgroup.Parent}/. Get-Cgroup with no arguments lists them.", name), name);
            }
            WriteObject(matches, enumerateCollection: true);
        }
    }
}
