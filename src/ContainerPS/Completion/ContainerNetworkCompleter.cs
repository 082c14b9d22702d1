using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Core.ContainerNetworks;

namespace ContainerPS.Completion;

/// <summary>
/// Completes a container network's name (-Network, Get/Remove-ContainerNetwork -Name) from the network store's
/// directories; New-Container -Network also offers its two modes, none and host.
/// </summary>
public sealed class ContainerNetworkCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionList.Of(wordToComplete, () =>
        {
            var networks = NetworkStore.For(ContainerPSCmdlet.OpenStore()).Names()
                .Select(name => new CompletionList.Candidate(name, $"container network {name}"));
            CompletionList.Candidate[] modes = commandName.Equals("New-Container", StringComparison.OrdinalIgnoreCase)
                ? [new("none", "its own network namespace with only lo"), new("host", "the host's network namespace"),
                    new("slirp4netns", "its own network namespace, joined to the host's by slirp4netns (works without root)")]
                : [];
            return modes.Concat(networks);
        });
}
