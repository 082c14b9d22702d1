using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Cgroups;

public class ByteSizeTests
{
    [Theory]
    [InlineData("256MB", 256L << 20)]
    [InlineData("256M", 256L << 20)]
    [InlineData("1.5GB", 3L << 29)]
    [InlineData("512k", 512L << 10)]
    [InlineData("4096", 4096)]
    [InlineData("2GiB", 2L << 30)]
    public void Sizes_parse_with_binary_units(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text).Bytes);

    [Theory]
    [InlineData("max")]
    [InlineData("unlimited")]
    public void Max_means_unlimited(string text) => Assert.True(ByteSize.Parse(text).IsUnlimited);

    [Theory]
    [InlineData("lots")]
    [InlineData("-5MB")]
    [InlineData("12XB")]
    [InlineData("")]
    public void Garbage_is_refused_with_the_value_and_the_valid_forms(string text)
    {
        var error = Assert.Throws<ContainerPSException>(() => ByteSize.Parse(text));
        Assert.Equal("InvalidByteSize", error.Reason);
        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains("256MB", error.Message);
    }

    [Fact]
    public void Negative_numbers_are_refused() => Assert.Throws<ContainerPSException>(() => (ByteSize)(-1L));

    [Fact]
    public void Sizes_print_in_the_largest_exact_unit() => Assert.Equal(["256MB", "1GB", "1536KB", "1000", "max"],
        new[] { ByteSize.Parse("256MB"), ByteSize.Parse("1G"), ByteSize.Parse("1.5M"), ByteSize.Parse("1000"), ByteSize.Unlimited }.Select(s => s.ToString()));
}
