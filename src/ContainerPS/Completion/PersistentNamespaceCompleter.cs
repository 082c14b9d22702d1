using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Completion;

/// <summary>Completes the name of a persistent namespace New-Namespace made (Get/Remove-Namespace -Name), with its kinds.</summary>
public sealed class PersistentNamespaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionList.Of(wordToComplete, Candidates);

    internal static IEnumerable<CompletionList.Candidate> Candidates() =>
        Directory.Exists(PersistentNamespace.Root)
            ? Directory.EnumerateDirectories(PersistentNamespace.Root).Select(Path.GetFileName).OfType<string>()
                .Select(name => new CompletionList.Candidate(name, $"persistent namespace: {string.Join(", ", PersistentNamespace.Members(name).Select(m => m.Kind))}"))
            : [];
}
