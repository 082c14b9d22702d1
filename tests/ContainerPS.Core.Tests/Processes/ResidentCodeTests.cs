using ContainerPS.Core.Processes;

namespace ContainerPS.Core.Tests.Processes;

public class ResidentCodeTests
{
    [Fact]
    public void Releasing_clean_file_pages_shrinks_the_resident_set_and_leaves_the_process_working()
    {
        var before = RssFileKiB();
        ResidentCode.Release();
        var after = RssFileKiB();
        Assert.True(after < before / 2, $"RssFile {before} kB -> {after} kB");
        // Code and read-only data come back on use, unchanged: relocated (RELRO) and written pages were left alone.
        Assert.Equal("3.14", Math.Round(Math.PI, 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(64, System.Security.Cryptography.SHA256.HashData("containerps"u8).Length * 2);
    }

    private static long RssFileKiB() =>
        long.Parse(File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("RssFile:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
