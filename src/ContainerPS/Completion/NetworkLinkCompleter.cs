using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;

namespace ContainerPS.Completion;

/// <summary>
/// Completes a link name in the network namespace the command will act in: the -Namespace already typed on the line
/// (a name, a pid, or a variable holding a Container), else the host's; a namespace that cannot be opened completes
/// nothing, and so does one PowerShell would not evaluate for completion (a command in parentheses): offering the
/// host's links there would name links the command will not find.
/// </summary>
public sealed class NetworkLinkCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionList.Of(wordToComplete, () =>
        {
            var typed = commandAst.CommandElements.OfType<CommandParameterAst>().Any(p => p.ParameterName.Equals("Namespace", StringComparison.OrdinalIgnoreCase));
            if (typed && !fakeBoundParameters.Contains("Namespace"))
            {
                return [];
            }
            var target = typed ? NetworkNamespaceTarget.From(fakeBoundParameters["Namespace"]) : null;
            using var socket = target is null ? NetlinkSocket.Open() : NetlinkSocket.Open(target.Resolve(ContainerPSCmdlet.OpenStore()).Namespace);
            return Link.List(socket).Select(link => new CompletionList.Candidate(link.Name, $"{link.Name} ({link.Kind ?? "link"}, index {link.Index})")).ToArray();
        });
}
