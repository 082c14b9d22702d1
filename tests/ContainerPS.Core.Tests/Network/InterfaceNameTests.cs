using ContainerPS.Core.Containers;
using ContainerPS.Core.Network;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Network;

public class InterfaceNameTests
{
    [Theory]
    [InlineData("eth0")]
    [InlineData("cps-veth0")]
    [InlineData("abcdefghijklmno")] // 15 bytes, the most there is room for
    [InlineData("veth.100")]
    public void Names_the_kernel_accepts_are_valid(string name) => Assert.True(InterfaceName.IsValid(name));

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("abcdefghijklmnop", "it is 16 bytes long")]
    [InlineData("cps-éééééé", "it is 16 bytes long")] // 10 characters, but bytes are what count
    [InlineData("a/b", "it contains '/'")]
    [InlineData("eth0:1", "it contains ':'")]
    [InlineData("my veth", "it contains 'whitespace'")]
    [InlineData("tab\there", "it contains 'whitespace'")]
    [InlineData(".", "'.' and '..' are reserved")]
    [InlineData("..", "'.' and '..' are reserved")]
    public void Invalid_names_say_what_is_wrong_and_what_would_be_valid(string name, string problem)
    {
        var error = Assert.Throws<ContainerPSException>(() => InterfaceName.Validate(name));
        Assert.Equal("InvalidInterfaceName", error.Reason);
        Assert.Equal(name, error.Target);
        Assert.Contains($"Interface name '{name}' is not valid: {problem}.", error.Message);
        Assert.Contains("1 to 15 bytes of UTF-8 without '/', ':' or whitespace", error.Message);
    }
}
