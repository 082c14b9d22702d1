using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Completion;

/// <summary>
/// Completes a -Namespace of the networking cmdlets (and -MoveToNamespace, -PeerNamespace) with the names that take
/// there: `ip netns` names, persistent namespaces with a net namespace, and containers.
/// </summary>
public sealed class NetworkNamespaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionList.Of(wordToComplete, () =>
        {
            var ipNetns = Directory.Exists(PersistentNamespace.IpNetnsDir)
                ? Directory.EnumerateFiles(PersistentNamespace.IpNetnsDir).Select(Path.GetFileName).OfType<string>()
                    .Select(name => new CompletionList.Candidate(name, $"ip netns {name}"))
                : [];
            var persistent = PersistentNamespaceCompleter.Candidates()
                .Where(c => File.Exists(Path.Combine(PersistentNamespace.Dir(c.Text), "net")));
            var containers = ContainerNameCompleter.Candidates(ContainerPSCmdlet.OpenStore(), wordToComplete);
            return ipNetns.Concat(persistent).Concat(containers);
        });
}
