using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Core.Containers;

namespace ContainerPS.Completion;

/// <summary>Completes New-Container -SeccompProfile with Unconfined, then the paths PowerShell's own file completion finds.</summary>
public sealed class SeccompProfileCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var unconfined = CompletionList.Of(wordToComplete, () => [new(ContainerSeccomp.UnconfinedArgument, "no seccomp filter")]);
        IEnumerable<CompletionResult> files;
        try
        {
            files = CompletionCompleters.CompleteFilename(wordToComplete ?? "");
        }
        catch (Exception)
        {
            files = []; // as in CompletionList: a failure here would only make Tab do nothing
        }
        return unconfined.Concat(files);
    }
}
