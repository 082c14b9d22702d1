namespace ContainerPS.Core.Processes;

/// <summary>
/// Finds a program of the host by name, for the tools the runtime starts (nft, newuidmap, slirp4netns): the system's
/// directories first, so a PATH entry cannot stand in for a tool that runs with the caller's privileges, then PATH.
/// </summary>
public static class HostProgram
{
    private static readonly string[] SystemDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The program's path, or null when it is not installed.</summary>
    public static string? Find(string name) =>
        SystemDirectories
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
