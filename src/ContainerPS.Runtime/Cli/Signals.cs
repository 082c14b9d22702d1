namespace ContainerPS.Runtime.Cli;

/// <summary>A signal as kill takes it: a number, or a name with or without SIG (TERM, SIGKILL, sigusr1).</summary>
internal static class Signals
{
    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
        "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    public static int Parse(string text)
    {
        if (int.TryParse(text, out var number))
        {
            return number is > 0 and <= 64 ? number : throw new UsageException($"signal {text} is not a signal number (1-64)");
        }
        var name = text.ToUpperInvariant();
        name = name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name;
        var index = Array.IndexOf(Names, name);
        return index > 0 ? index : throw new UsageException($"unknown signal {text} (as TERM, KILL, SIGUSR1 or a number)");
    }
}
