using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ContainerPS.Completion;

/// <summary>Completes a container id (-Id, -ContainerId), with the container's name as the tooltip.</summary>
public sealed class ContainerIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionList.Of(wordToComplete, () =>
        {
            var store = ContainerNameCompleter.StoreOf(fakeBoundParameters);
            var names = store.Names().ToArray();
            return store.Ids().Select(id => new CompletionList.Candidate(id, ContainerNameCompleter.NameOf(names, id)));
        });
}
