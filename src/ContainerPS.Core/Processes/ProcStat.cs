namespace ContainerPS.Core.Processes;

/// <summary>Reads /proc/PID/stat: the fields that identify a process across pid reuse and tell its state.</summary>
public static class ProcStat
{
    /// <summary>Start time in clock ticks after boot, or null when the process does not exist.</summary>
    public static ulong? StartTime(int pid) => Field(pid, 22) is { } value ? ulong.Parse(value) : null;

    /// <summary>The one-letter state (R, S, D, Z, T, ...), or null when the process does not exist.</summary>
    public static char? State(int pid) => Field(pid, 3) is { } value ? value[0] : null;

    /// <summary>True when the pid is alive (not a zombie) and is the same process that started at <paramref name="startTime"/>.</summary>
    public static bool IsAlive(int pid, ulong startTime)
    {
        var fields = Fields(pid);
        return fields is not null && fields[0] != "Z" && ulong.Parse(fields[19]) == startTime;
    }

    /// <summary>
    /// The fields numbered <paramref name="numbers"/> (as proc(5) counts, 3 and later) as unsigned numbers, or null when
    /// the process does not exist. The memory layout (26-28, 45-51) is hidden (0 or 1) from all but the process and its tracers.
    /// </summary>
    public static ulong[]? Numbers(int pid, params int[] numbers) =>
        Fields(pid) is { } fields ? numbers.Select(n => ulong.Parse(fields[n - 3])).ToArray() : null;

    private static string? Field(int pid, int number) => Fields(pid)?[number - 3];

    // Field 2 (comm) may hold spaces and parentheses, so split after its closing parenthesis; index 0 is field 3.
    private static string[]? Fields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
        return text[(text.LastIndexOf(')') + 2)..].Split(' ');
    }
}
