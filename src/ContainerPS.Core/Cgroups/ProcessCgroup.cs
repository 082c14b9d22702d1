namespace ContainerPS.Core.Cgroups;

/// <summary>One line of /proc/PID/cgroup: the group a process is in, in one hierarchy.</summary>
public sealed class ProcessCgroup
{
    public required int Pid { get; init; }
    public required int HierarchyId { get; init; }

    /// <summary>1 for a v1 hierarchy, 2 for the unified tree.</summary>
    public required int Version { get; init; }

    public required string[] Controllers { get; init; }
    public required string Path { get; init; }

    /// <summary>Reads /proc/PID/cgroup; null when the process does not exist.</summary>
    public static ProcessCgroup[]? Of(int pid)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/cgroup");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
        return lines.Where(l => l.Length > 0).Select(line =>
        {
            var parts = line.Split(':', 3);
            var id = int.Parse(parts[0]);
            return new ProcessCgroup
            {
                Pid = pid,
                HierarchyId = id,
                Version = id == 0 ? 2 : 1,
                Controllers = parts[1].Length == 0 ? [] : parts[1].Split(','),
                Path = parts[2],
            };
        }).ToArray();
    }
}
