using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;

namespace ContainerPS.Completion;

/// <summary>
/// Completes the name of a group below containerps/ (web, batch/low). Containers' own groups, named by their 64-hex id,
/// are left out: users reach them by container (-ContainerId, or a Container piped in).
/// </summary>
public sealed class CgroupNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionList.Of(wordToComplete, () => CgroupQuery.Names()
            .Where(name => !IsContainerGroup(name))
            .Select(name => new CompletionList.Candidate(name, $"{Cgroup.Parent}/{name}")));

    private static bool IsContainerGroup(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);
}
