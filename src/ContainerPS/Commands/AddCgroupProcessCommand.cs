using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Processes;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>Moves processes into a cgroup, or runs a command inside one, as cgclassify and cgexec do.</summary>
/// <remarks>
/// <para>
/// -ProcessId writes each pid to the group's cgroup.procs in every hierarchy. -Command starts the command already inside
/// the group (nothing runs outside it first); its stdout comes down the pipeline, its stderr goes to the host and
/// $LASTEXITCODE is set. Give one of the two.
/// </para>
/// </remarks>
/// <example>
/// <code>Add-CgroupProcess cps-batch -Command sh,-c,'yes > /dev/null'</code>
/// Runs a busy loop under cps-batch's CPU limit; the array form keeps -c for sh.
/// </example>
/// <example>
/// <code>Add-CgroupProcess cps-batch -ProcessId 4242</code>
/// Moves process 4242 into cps-batch (echo 4242 > cgroup.procs).
/// </example>
/// <seealso cref="NewCgroupCommand"/>
/// <seealso cref="GetCgroupStatCommand"/>
[Cmdlet(VerbsCommon.Add, "CgroupProcess", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
[OutputType(typeof(string))]
public sealed class AddCgroupProcessCommand : CgroupTargetCmdlet
{
    /// <summary>The ids of the processes to move into the group.</summary>
    [Parameter]
    [Alias("Pid")]
    public int[]? ProcessId { get; set; }

    /// <summary>A command and its arguments to run inside the group, as an array: make,-j2.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Command { get; set; }

    protected override void BeginProcessing()
    {
        if (ProcessId is null == Command is null)
        {
            ThrowFailure(new ContainerPSException("ProcessOrCommandRequired", FailureKind.InvalidArgument,
                "Give either -ProcessId with the ids to move, or -Command with a command to run inside the cgroup.", null), null);
        }
    }

    protected override void Process(Cgroup cgroup)
    {
        foreach (var pid in ProcessId ?? [])
        {
            if (ProcStat.StartTime(pid) is null)
            {
                WriteFailure(new ContainerPSException("ProcessNotFound", FailureKind.ObjectNotFound, $"No process has the id {pid}.", pid), pid);
            }
            else if (ShouldProcess($"{pid}", $"Move process into {cgroup.Path}"))
            {
                cgroup.AddProcess(pid);
            }
        }
        if (Command is { } command && ShouldProcess(cgroup.Path, "Run " + string.Join(' ', command)))
        {
            SetExitCode(CgroupExec.Run(cgroup, command, SessionState.Path.CurrentFileSystemLocation.ProviderPath, WriteNativeLine));
        }
    }
}
