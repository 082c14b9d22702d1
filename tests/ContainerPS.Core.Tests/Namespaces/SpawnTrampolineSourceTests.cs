using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Tests.Rootfs;

namespace ContainerPS.Core.Tests.Namespaces;

/// <summary>
/// The trampoline's bytes are what its assembler source assembles to: a reviewer reads SpawnTrampoline.x86_64.S,
/// and this proves the machine runs exactly that. The source is copied beside the test assembly (see the csproj).
/// </summary>
public class SpawnTrampolineSourceTests
{
    [SkippableFact]
    public void X86_64_bytes_are_what_their_source_assembles_to()
    {
        var assembled = Assemble("SpawnTrampoline.x86_64.S", "x86_64-linux-gnu");
        AssertSameBytes(assembled, SpawnTrampoline.X86_64Code);
    }

    private static byte[] Assemble(string source, string target)
    {
        var clang = Clang();
        Skip.If(clang is null, "needs clang to assemble the trampoline's source (apt-get install clang)");
        var sourcePath = Path.Join(AppContext.BaseDirectory, "Trampoline", source);
        var objectPath = Path.Join(Path.GetTempPath(), $"cps-trampoline-{Environment.ProcessId}-{target}.o");
        try
        {
            var (exitCode, _, error) = HostCommand.Run(clang!, $"--target={target}", "-c", sourcePath, "-o", objectPath);
            Assert.True(exitCode == 0, $"{clang} could not assemble {sourcePath}: {error}");
            return ElfTextSection.Read(objectPath);
        }
        finally
        {
            File.Delete(objectPath);
        }
    }

    /// <summary>clang, or the newest versioned clang-N on PATH (Debian installs clang-14 without the plain name unless the clang package is there).</summary>
    private static string? Clang()
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

    private static void AssertSameBytes(byte[] assembled, byte[] embedded)
    {
        var first = Enumerable.Range(0, Math.Min(assembled.Length, embedded.Length)).FirstOrDefault(i => assembled[i] != embedded[i], -1);
        Assert.True(first == -1 && assembled.Length == embedded.Length,
            first >= 0
                ? $"byte {first} (0x{first:x}) differs: the source assembles to 0x{assembled[first]:x2}, the C# holds 0x{embedded[first]:x2}"
                : $"the source assembles to {assembled.Length} bytes, the C# holds {embedded.Length}");
    }
}
