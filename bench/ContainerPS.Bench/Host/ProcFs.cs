namespace ContainerPS.Bench.Host;

/// <summary>What the bench reads about processes and memory from /proc.</summary>
public static class ProcFs
{
    /// <summary>
    /// Resident memory in MB, or null once the process is gone. VmRSS counts every resident page it maps, its
    /// binary's and libraries' included; RssAnon only its own heap and stacks, which is what each more process adds.
    /// </summary>
    public static double? RssMb(int pid, string field = "VmRSS")
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? null : Kilobytes(line) / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static double MemAvailableMb() => Meminfo("MemAvailable:") / 1024.0;

    public static double MemTotalMb() => Meminfo("MemTotal:") / 1024.0;

    /// <summary>The namespace a process is in, as the kernel names it ("pid:[4026531836]"); pid "self" for the bench.</summary>
    public static string Namespace(string pid, string kind) =>
        new FileInfo($"/proc/{pid}/ns/{kind}").LinkTarget ?? throw new IOException($"/proc/{pid}/ns/{kind} is not a link");

    public static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!));

    /// <summary>The command line with NULs as spaces; empty for a process that is gone or a kernel thread.</summary>
    public static string Cmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static bool Alive(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>A pid file as runc, crun and conmon write it.</summary>
    public static int ReadPidFile(string path) => int.Parse(File.ReadAllText(path).Trim());

    private static long Meminfo(string key) => Kilobytes(File.ReadLines("/proc/meminfo").First(l => l.StartsWith(key, StringComparison.Ordinal)));

    private static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
