using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Changes the limits of cgroups or of running containers, as cgset does.</summary>
/// <remarks>
/// <para>
/// Each limit goes to the hierarchy that holds its controller, translated for its version: -Memory to
/// memory.limit_in_bytes (v1) or memory.max (v2), -CpuQuota to cpu.cfs_quota_us or cpu.max, and so on. Limits not given
/// are left as they are.
/// </para>
/// </remarks>
/// <example>
/// <code>Get-Container web | Set-CgroupLimit -Memory 128MB -CpuQuota 0.25</code>
/// Gives the running container web 128 MB of memory and a quarter of a CPU.
/// </example>
/// <example>
/// <code>Set-CgroupLimit cps-batch -Pids -1 -PassThru</code>
/// Removes the process limit of cps-batch and shows the limits now in force.
/// </example>
/// <seealso cref="GetCgroupLimitCommand"/>
/// <seealso cref="NewCgroupCommand"/>
[Cmdlet(VerbsCommon.Set, "CgroupLimit", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(CgroupLimits))]
public sealed class SetCgroupLimitCommand : CgroupLimitCmdlet
{
    /// <summary>Group names, relative to containerps/ as New-Cgroup made them.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParameterSets.Name)]
    [ArgumentCompleter(typeof(Completion.CgroupNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Groups as their Path property gives them; cgroup objects piped in (Get-Cgroup, New-Cgroup) bind here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Path, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The containers (by id or name) whose group to change; Container objects piped in bind here by their Id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Container, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(Completion.ContainerIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] ContainerId { get; set; } = [];

    /// <summary>Emit the limits in force afterwards, read back from the kernel.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (Limits is null)
        {
            ThrowFailure(new ContainerPSException("NoLimitGiven", FailureKind.InvalidArgument,
                "Give at least one limit: -Memory, -MemorySwap, -CpuWeight, -CpuShares, -CpuQuota, -CpuSet, -Pids, -IoWeight or -IoMax.", null), null);
        }
    }

    protected override void ProcessRecord() =>
        ForEachTarget(CgroupTargets.Keys(ParameterSetName, Name, Path, ContainerId), key => CgroupTargets.Find(Store, ParameterSetName, key),
            found => Change(found.Cgroup), found => found.Target);

    private void Change(Cgroup cgroup)
    {
        if (!ShouldProcess(cgroup.Path, "Set limits " + string.Join(", ", Limits!.Controllers())))
        {
            return;
        }
        cgroup.Apply(Limits);
        if (PassThru)
        {
            var now = cgroup.ReadLimits();
            now.Name = CgroupTargets.DisplayName(Store, cgroup);
            WriteObject(now);
        }
    }
}
