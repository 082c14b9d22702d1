using System.Text;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Network;

/// <summary>
/// The kernel's rule for a network interface name (dev_valid_name): 1 to 15 bytes (IFNAMSIZ less the NUL), no
/// '/', ':' or whitespace, not "." or "..". Checked before sending so the error names the rule, not just EINVAL.
/// </summary>
public static class InterfaceName
{
    public const int MaxBytes = 15;

    private const string Rule =
        "A valid interface name is 1 to 15 bytes of UTF-8 without '/', ':' or whitespace, and is not '.' or '..' (for example cps-veth0).";

    /// <summary>Throws a <see cref="ContainerPSException"/> (InvalidInterfaceName) that says what is wrong and what would be valid.</summary>
    public static void Validate(string? name)
    {
        if (Problem(name) is { } problem)
        {
            throw new ContainerPSException("InvalidInterfaceName", FailureKind.InvalidArgument, $"Interface name '{name}' is not valid: {problem}. {Rule}", name);
        }
    }

    public static bool IsValid(string? name) => Problem(name) is null;

    private static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }
        if (name is "." or "..")
        {
            return "'.' and '..' are reserved";
        }
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxBytes)
        {
            return $"it is {bytes} bytes long";
        }
        foreach (var c in name)
        {
            if (c is '/' or ':' or '\0' || char.IsWhiteSpace(c))
            {
                return c == '\0' ? "it contains a NUL character" : $"it contains '{(char.IsWhiteSpace(c) ? "whitespace" : c)}'";
            }
        }
        return null;
    }
}
