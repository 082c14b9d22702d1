using ContainerPS.Core.Containers;
using ContainerPS.Core.Security;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Security;

/// <summary>Capability names as capabilities(7) and docker spell them, and -CapabilityAdd/-CapabilityDrop as docker combines them.</summary>
public class CapabilityTests
{
    [Theory]
    [InlineData("SYS_ADMIN", 21)]
    [InlineData("cap_sys_admin", 21)]
    [InlineData("Chown", 0)]
    [InlineData("CAP_CHECKPOINT_RESTORE", 40)]
    public void A_name_is_read_with_or_without_the_prefix_in_any_case(string name, int number) => Assert.Equal(number, CapabilityNames.Number(name));

    [Theory]
    [InlineData("SYS_BOGUS")]
    [InlineData("CAP_")]
    [InlineData("ALL")]
    public void A_name_capabilities7_lacks_has_no_number(string name) => Assert.Null(CapabilityNames.Number(name));

    [Fact]
    public void The_default_set_is_dockers() =>
        Assert.Equal(0xa80425fbUL, ContainerCapabilities.Mask(ContainerCapabilities.Resolve([], [])));

    [Theory]
    [InlineData(new[] { "ALL" }, new[] { "SYS_ADMIN" }, 0x1ffffdfffffUL)] // every one but bit 21
    [InlineData(new[] { "KILL" }, new[] { "ALL" }, 0x20UL)]
    [InlineData(new string[0], new[] { "ALL" }, 0UL)]
    [InlineData(new[] { "kill" }, new[] { "KILL", "CHOWN" }, 0xa80425faUL)] // added wins over dropped
    [InlineData(new[] { "NET_ADMIN" }, new[] { "NET_RAW" }, 0xa80415fbUL)]
    public void Add_and_drop_combine_as_docker_combines_them(string[] add, string[] drop, ulong expected) =>
        Assert.Equal(expected, ContainerCapabilities.Mask(ContainerCapabilities.Resolve(add, drop)));

    [Fact]
    public void An_unknown_name_is_refused_with_the_valid_ones_listed()
    {
        var refused = Assert.Throws<ContainerPSException>(() => ContainerCapabilities.Resolve(["NET_ADMN"], []));
        Assert.Equal("UnknownCapability", refused.Reason);
        Assert.Contains("NET_ADMIN", refused.Message);
    }
}
