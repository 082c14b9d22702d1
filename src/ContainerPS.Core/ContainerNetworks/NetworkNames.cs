using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// The names a network and its host links get. Every link ContainerPS makes on the host starts with cps-: bridges
/// cps-br-NAME (or cps-br- and 8 hex digits of the name's hash when NAME is longer than 8), container veths
/// cps-IDPREFIX-N (8 hex digits of the container id, N its interface number), so the two never collide.
/// </summary>
public static partial class NetworkNames
{
    private const string BridgePrefix = "cps-br-";

    public static void Validate(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ContainerPSException("InvalidNetworkName", FailureKind.InvalidArgument,
                $"The network name '{name}' is not valid. Use 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit; 'none', 'host' and 'slirp4netns' are reserved.", name);
        }
    }

    public static string BridgeFor(string name) =>
        BridgePrefix.Length + name.Length <= InterfaceName.MaxBytes
            ? BridgePrefix + name
            : BridgePrefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8].ToLowerInvariant();

    public static string HostLinkFor(string containerId, int interfaceNumber) => $"cps-{containerId[..8]}-{interfaceNumber}";

    public static string InterfaceFor(int interfaceNumber) => $"eth{interfaceNumber}";

    // 'none', 'host' and 'slirp4netns' mean no network, the host's and a user-mode one; they cannot name one.
    [GeneratedRegex("^(?!(?i:none|host|slirp4netns)$)[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();
}
