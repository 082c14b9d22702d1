using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Core.Security;

namespace ContainerPS.Completion;

/// <summary>
/// Completes -CapabilityAdd and -CapabilityDrop with ALL and the capabilities of capabilities(7): as docker spells
/// them (SYS_ADMIN), or with the prefix (CAP_SYS_ADMIN) once that is what is being typed.
/// </summary>
public sealed class CapabilityNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionList.Of(wordToComplete, () =>
        {
            var prefixed = wordToComplete.Trim('\'', '"').StartsWith("CAP_", StringComparison.OrdinalIgnoreCase);
            var names = CapabilityNames.All.Select((name, number) => new CompletionList.Candidate(prefixed ? name : name[4..],
                (Capabilities.ContainerDefaultMask & 1UL << number) != 0 ? $"{name}, in the default set" : $"{name}, not in the default set"));
            return names.Prepend(new CompletionList.Candidate("ALL", "every capability"));
        });
}
