namespace ContainerPS.Core.Tests;

/// <summary>The clang on this machine, which assembles the trampolines and preprocesses other architectures' headers.</summary>
internal static class HostClang
{
    /// <summary>clang, or the newest versioned clang-N on PATH (Debian installs clang-14 without the plain name unless the clang package is there).</summary>
    public static string? Find()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Where(Directory.Exists).ToArray();
        if (directories.Any(d => File.Exists(Path.Join(d, "clang"))))
        {
            return "clang";
        }
        return directories
            .SelectMany(d => Directory.EnumerateFiles(d, "clang-*"))
            .Select(Path.GetFileName)
            .Select(name => (Name: name!, Version: int.TryParse(name!["clang-".Length..], out var v) ? v : -1))
            .Where(c => c.Version > 0)
            .OrderByDescending(c => c.Version)
            .Select(c => c.Name)
            .FirstOrDefault();
    }
}
