using System.Diagnostics;
using System.Globalization;
using ContainerPS.Bench.Host;

namespace ContainerPS.Bench.Report;

/// <summary>Where and with what the numbers were taken: date, kernel, CPUs, memory, and each tool's version line.</summary>
public static class MachineInfo
{
    public static List<(string Name, string Value)> Describe(string repoRoot) =>
    [
        ("date", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
        ("kernel", File.ReadAllText("/proc/sys/kernel/osrelease").Trim()),
        ("machine", $"{Environment.ProcessorCount} CPUs (nproc), MemTotal {ProcFs.MemTotalMb() / 1024:0.0} GB"),
        ("ContainerPS", $"{Version(repoRoot)}, commit {FirstLine("git", "-C", repoRoot, "rev-parse", "--short", "HEAD")} (working tree as built), .NET {Environment.Version}, System.Management.Automation {typeof(System.Management.Automation.PowerShell).Assembly.GetName().Version}"),
        ("runc", FirstLine("runc", "--version")),
        ("crun", FirstLine("crun", "--version")),
        ("conmon", FirstLine("conmon", "--version")),
        ("iproute2", FirstLine("ip", "-V")),
        ("util-linux", FirstLine("unshare", "--version")),
    ];

    private static string Version(string repoRoot)
    {
        var manifest = File.ReadAllText(Path.Combine(repoRoot, "ContainerPS.psd1"));
        return System.Text.RegularExpressions.Regex.Match(manifest, @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;
    }

    /// <summary>The first line a command prints (stdout, else stderr), or why there is none.</summary>
    private static string FirstLine(string command, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "(no output)";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"not found ({e.Message})";
        }
    }
}
