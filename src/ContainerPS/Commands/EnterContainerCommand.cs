using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>
/// Enter-Container: an interactive shell in a running container on a new pseudo-terminal (docker exec -it):
/// the window size follows ours, and Ctrl-C goes to the process inside.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
public sealed class EnterContainerCommand : ContainerTargetCmdlet
{
    /// <summary>The program to run on the terminal; sh by default.</summary>
    /// <summary>The command and its arguments: an array (sh,-c,'...'), or the remaining words (echo hello world).</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = ["sh"];

    private volatile bool _stopping;

    protected override void Process(Container container)
    {
        if (ShouldProcess(container.Name, "Open an interactive " + Command[0]))
        {
            RunInNamespaces(ContainerExec.Request(Store, container, Command), ExecStdio.Terminal, () => _stopping);
        }
    }

    protected override void StopProcessing() => _stopping = true;
}
