using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Core.Images;

namespace ContainerPS.Completion;

/// <summary>Completes an image's name (New-Container -Image, Get/Remove-ContainerImage) from the image store's records; images without a name by their short id.</summary>
public sealed class ContainerImageCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionList.Of(wordToComplete, () => ImageStore.Open().Records().SelectMany(image =>
            image.Names.Length == 0
                ? [new CompletionList.Candidate(image.ShortId, $"image {image.ShortId} (no name)")]
                : image.Names.Select(name => new CompletionList.Candidate(name, $"image {image.ShortId}"))));
}
