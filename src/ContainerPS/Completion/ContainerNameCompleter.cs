using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Core.Containers;

namespace ContainerPS.Completion;

/// <summary>
/// Completes a container by name (-Name, -Container); once what was typed is the start of an id, ids complete too. Names
/// come from the name index alone, so a container with a damaged spec or state still completes and costs no read.
/// </summary>
public sealed class ContainerNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionList.Of(wordToComplete, () => Candidates(StoreOf(fakeBoundParameters), wordToComplete));

    /// <summary>The store the command line names with -Root (an engine's), else the module's own.</summary>
    internal static ContainerStore StoreOf(IDictionary boundParameters) =>
        boundParameters["Root"] is string { Length: > 0 } root ? new ContainerStore(Path.GetFullPath(root)) : ContainerPSCmdlet.OpenStore();

    internal static IEnumerable<CompletionList.Candidate> Candidates(ContainerStore store, string? typed)
    {
        var names = store.Names().ToArray();
        var byName = names.Select(n => new CompletionList.Candidate(n.Name, $"{n.Name} ({n.Id[..12]})"));
        // Ids only when the user has begun one: listing 64-hex strings beside every name would bury the names.
        var byId = string.IsNullOrEmpty(typed) ? [] : store.Ids().Select(id => new CompletionList.Candidate(id, NameOf(names, id)));
        return byName.Concat(byId);
    }

    internal static string NameOf((string Name, string Id)[] names, string id) =>
        names.FirstOrDefault(n => n.Id == id).Name is { } name ? $"{name} ({id[..12]})" : id;
}
