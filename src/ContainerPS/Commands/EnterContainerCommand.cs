using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>Opens an interactive shell in a running container on a new pseudo-terminal.</summary>
/// <remarks>
/// <para>
/// As docker exec -it: a pseudo-terminal from the container's devpts, whose window size follows this one's, with Ctrl-C
/// going to the process inside. Exit the shell to come back.
/// </para>
/// </remarks>
/// <example>
/// <code>Enter-Container web</code>
/// A sh prompt inside web.
/// </example>
/// <example>
/// <code>Enter-Container web -- top -d 1</code>
/// Runs top interactively inside web; -- keeps -d for top.
/// </example>
/// <seealso cref="InvokeContainerCommandCommand"/>
/// <seealso cref="EnterNamespaceCommand"/>
[Cmdlet(VerbsCommon.Enter, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
public sealed class EnterContainerCommand : ContainerTargetCmdlet
{
    /// <summary>The program to run on the terminal and its arguments, sh by default: an array (top,-d,1), or the words after -- (-- top -d 1).</summary>
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
