namespace ContainerPS.Core.Tests.Rootfs;

/// <summary>What `ldd` says about a program: the loader it names and each library name with the path found.</summary>
internal sealed record LddOutput(string? Interpreter, IReadOnlyDictionary<string, string> Libraries)
{
    public static LddOutput Of(string program)
    {
        var (exitCode, output, error) = HostCommand.Run("ldd", program);
        Assert.True(exitCode == 0, $"ldd {program}: {error}");
        string? interpreter = null;
        var libraries = new Dictionary<string, string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)", "linux-vdso.so.1 (0x...)"
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && parts[1] == "=>")
            {
                libraries[parts[0]] = parts[2];
            }
            else if (parts[0].StartsWith('/'))
            {
                interpreter = parts[0];
            }
        }
        return new LddOutput(interpreter, libraries);
    }
}
