using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests;

public sealed class RuntimeHelperFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cps-runtimefile-").FullName;

    private string Helper(UnixFileMode mode)
    {
        var path = Path.Combine(_dir, "containerps-runtime");
        File.WriteAllBytes(path, [0x7f, (byte)'E', (byte)'L', (byte)'F']);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Theory]
    [InlineData("644", "755")] // what Install-PSResource leaves: every file of a NuGet package comes out 0644
    [InlineData("640", "750")] // execute only for those who may read it
    [InlineData("600", "700")]
    public void A_helper_without_execute_bit_gets_it_where_it_can_be_read(string before, string after)
    {
        var path = Helper((UnixFileMode)Convert.ToInt32(before, 8));
        RuntimeHelperFile.RequireExecutable(path);
        Assert.Equal(Convert.ToInt32(after, 8), (int)File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_helper_with_an_execute_bit_is_left_as_it_is()
    {
        var path = Helper((UnixFileMode)Convert.ToInt32("744", 8));
        RuntimeHelperFile.RequireExecutable(path);
        Assert.Equal(Convert.ToInt32("744", 8), (int)File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_missing_helper_says_which_file_and_how_to_make_it()
    {
        var path = Path.Combine(_dir, "none", "containerps-runtime");
        var error = Assert.Throws<ContainerPSException>(() => RuntimeHelperFile.RequireExecutable(path));
        Assert.Equal("RuntimeHelperMissing", error.Reason);
        Assert.Contains(path, error.Message);
        Assert.Contains("./build.sh build", error.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
