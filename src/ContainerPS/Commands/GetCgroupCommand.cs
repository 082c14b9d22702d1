using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Gets the cgroups ContainerPS made, or the cgroups any process is in.</summary>
/// <remarks>
/// <para>
/// Without -Process it lists the groups below containerps/ (as lscgroup does), with the hierarchies they exist in.
/// With -Process it reads /proc/PID/cgroup: one entry per hierarchy, for any process.
/// </para>
/// </remarks>
/// <example>
/// <code>Get-Cgroup cps-*</code>
/// The groups whose names begin with cps-.
/// </example>
/// <example>
/// <code>Get-Cgroup -Process $PID</code>
/// The groups this PowerShell process is in, as cat /proc/$PID/cgroup shows.
/// </example>
/// <seealso cref="NewCgroupCommand"/>
/// <seealso cref="GetCgroupStatCommand"/>
[Cmdlet(VerbsCommon.Get, "Cgroup", DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(CgroupInfo), ParameterSetName = [ParameterSets.Name])]
[OutputType(typeof(ProcessCgroup), ParameterSetName = [ParameterSets.Process])]
public sealed class GetCgroupCommand : ContainerPSCmdlet
{
    /// <summary>Group names relative to containerps/; wildcards are allowed.</summary>
    [Parameter(Position = 0, ParameterSetName = ParameterSets.Name)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.CgroupNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Process ids whose groups to read from /proc/PID/cgroup; objects with a Pid or Process property bind here.</summary>
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
