using ContainerPS.Core.Interop;
namespace ContainerPS.Core.Containers;

/// <summary>
/// One NAME=value of a process's environment. execve takes each as a NUL-terminated string, so a NUL inside would
/// cut it short without a word; an '=' in the name would move the split. Both are refused before anything runs.
/// </summary>
public static class EnvironmentVariable
{
    /// <summary>Throws InvalidEnvironmentVariable, naming the variable, for a name or value execve could not carry whole.</summary>
    public static void Check(string name, string value)
    {
        if (name.Length == 0 || name.Contains('=') || name.Contains('\0'))
        {
            throw new ContainerPSException("InvalidEnvironmentVariable", FailureKind.InvalidArgument,
                $"The environment variable name '{Visible(name)}' is not valid: it must be non-empty and contain no '=' or NUL.", name);
        }
        if (value.Contains('\0'))
        {
            throw new ContainerPSException("InvalidEnvironmentVariable", FailureKind.InvalidArgument,
                $"The value of environment variable '{name}' holds a NUL character (at {value.IndexOf('\0')}: '{Visible(value)}'); a process's environment cannot carry one, and the value would be cut there. Leave the NUL out.", name);
        }
    }

    private static string Visible(string text) => text.Replace("\0", "\\0");
}
