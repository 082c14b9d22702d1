using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Completion;

/// <summary>Completes New-Container -Namespace with the kinds it can create (a Namespace object to join is given as an expression).</summary>
public sealed class NamespaceKindCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionList.Of(wordToComplete, () => NamespaceKinds.All.Select(kind => new CompletionList.Candidate(kind.ToString(), $"a new {kind} namespace")));
}
