using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests;

/// <summary>Input a container cannot be made from, refused before anything is made.</summary>
public sealed class SpecInputTests
{
    [Theory]
    [InlineData("/proc")]
    [InlineData("/proc/")]
    [InlineData("/dev")]
    [InlineData("/dev/shm")]
    [InlineData("/sys/fs/cgroup")]
    [InlineData("//sys")]
    [InlineData("/mnt/../proc")]
    [InlineData("/")]
    public void The_runtime_s_own_mount_targets_are_not_the_user_s(string destination) =>
        Assert.NotNull(RuntimeMountTargets.Owning(destination));

    [Theory]
    [InlineData("/data")]
    [InlineData("/procedures")]
    [InlineData("/devices")]
    [InlineData("/tmp")]
    public void Other_targets_are_the_user_s(string destination) => Assert.Null(RuntimeMountTargets.Owning(destination));

    [Fact]
    public void The_host_root_is_known_through_a_symlink_too()
    {
        var link = Path.Combine(Path.GetTempPath(), "cps-rootlink-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateSymbolicLink(link, "/");
        try
        {
            Assert.True(RootFsCheck.IsHostRoot("/"));
            Assert.True(RootFsCheck.IsHostRoot(link));
            Assert.False(RootFsCheck.IsHostRoot(Path.GetTempPath()));
        }
        finally
        {
            Directory.Delete(link);
        }
    }

    [Theory]
    [InlineData("A\0B", "x", "name")]
    [InlineData("A=B", "x", "name")]
    [InlineData("", "x", "name")]
    [InlineData("A", "one\0two", "NUL character")]
    public void An_environment_variable_execve_cannot_carry_whole_is_refused(string name, string value, string said)
    {
        var error = Assert.Throws<ContainerPSException>(() => EnvironmentVariable.Check(name, value));
        Assert.Equal("InvalidEnvironmentVariable", error.Reason);
        Assert.Contains(said, error.Message);
    }
}
