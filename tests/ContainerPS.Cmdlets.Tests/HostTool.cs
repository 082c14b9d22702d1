using System.Diagnostics;

namespace ContainerPS.Cmdlets.Tests;

/// <summary>A host program the tests compare the cmdlets against (ip, nft, nsenter), run to its end.</summary>
internal static class HostTool
{
    public static (int Code, string Output, string Error) Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>The output of a run that must succeed; a failure shows what the program said.</summary>
    public static string Check(string file, params string[] arguments)
    {
        var (code, output, error) = Run(file, arguments);
        Assert.True(code == 0, $"{file} {string.Join(' ', arguments)} exited {code}: {error}");
        return output;
    }
}
