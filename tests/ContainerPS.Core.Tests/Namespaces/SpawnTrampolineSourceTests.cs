using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Tests.Rootfs;

namespace ContainerPS.Core.Tests.Namespaces;

/// <summary>
/// The trampolines' bytes are what their assembler sources assemble to: a reviewer reads SpawnTrampoline.x86_64.S
/// and SpawnTrampoline.aarch64.S, and this proves the machine runs exactly that. The sources are copied beside the
/// test assembly (see the csproj).
/// </summary>
public class SpawnTrampolineSourceTests
{
    [SkippableFact]
    public void X86_64_bytes_are_what_their_source_assembles_to()
    {
        var assembled = Assemble("SpawnTrampoline.x86_64.S", "x86_64-linux-gnu");
        AssertSameBytes(assembled, SpawnTrampoline.X86_64Code);
    }

    [SkippableFact]
    public void Aarch64_bytes_are_what_their_source_assembles_to()
    {
        var assembled = Assemble("SpawnTrampoline.aarch64.S", "aarch64-linux-gnu");
        AssertSameBytes(assembled, SpawnTrampoline.Aarch64Code);
    }

    [Fact]
    public void A_changed_byte_is_named_by_its_offset()
    {
        var changed = SpawnTrampoline.Aarch64Code.ToArray();
        changed[17] ^= 1;
        var e = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertSameBytes(SpawnTrampoline.Aarch64Code, changed));
        Assert.Contains("byte 17 (0x11) differs", e.Message);
    }

    private static byte[] Assemble(string source, string target)
    {
        var clang = HostClang.Find();
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

    private static void AssertSameBytes(byte[] assembled, byte[] embedded)
    {
        var first = Enumerable.Range(0, Math.Min(assembled.Length, embedded.Length)).FirstOrDefault(i => assembled[i] != embedded[i], -1);
        Assert.True(first == -1 && assembled.Length == embedded.Length,
            first >= 0
                ? $"byte {first} (0x{first:x}) differs: the source assembles to 0x{assembled[first]:x2}, the C# holds 0x{embedded[first]:x2}"
                : $"the source assembles to {assembled.Length} bytes, the C# holds {embedded.Length}");
    }
}
