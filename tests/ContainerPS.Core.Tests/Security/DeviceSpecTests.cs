using ContainerPS.Core.Containers;
using ContainerPS.Core.Security;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Security;

/// <summary>-Device as docker's --device reads it, and the refusals that say what would be valid.</summary>
public class DeviceSpecTests
{
    [Theory]
    [InlineData("/dev/kmsg", "/dev/kmsg", "rwm")]
    [InlineData("/dev/kmsg:/dev/cps/log", "/dev/cps/log", "rwm")]
    [InlineData("/dev/kmsg:r", "/dev/kmsg", "r")]
    [InlineData("/dev/kmsg:/dev/cps-log:rw", "/dev/cps-log", "rw")]
    public void A_device_is_host_path_then_optional_inside_path_and_permissions(string text, string inside, string access)
    {
        var device = DeviceSpec.Parse(text);
        Assert.Equal(("/dev/kmsg", inside, access), (device.HostPath, device.ContainerPath, DeviceRule.AccessLetters(device.Access)));
        Assert.Equal((DeviceType.Char, 1u, 11u), (device.Type, device.Major, device.Minor));
    }

    [Theory]
    [InlineData("dev/null", "InvalidDevice")]
    [InlineData("/dev/kmsg:/dev/x:rw:extra", "InvalidDevice")]
    [InlineData("/dev/kmsg:rwx", "InvalidDevicePermissions")]
    [InlineData("/dev/kmsg:/tmp/kmsg", "InvalidDevicePath")]
    [InlineData("/dev/null", "InvalidDevicePath")]
    [InlineData("/dev/null:/dev/pts/9", "InvalidDevicePath")]
    [InlineData("/etc/passwd", "DeviceNotFound")]
    [InlineData("/dev/cps-no-such-device", "DeviceNotFound")]
    public void A_bad_device_is_refused_by_name(string text, string reason)
    {
        Assert.Equal(reason, Assert.Throws<ContainerPSException>(() => DeviceSpec.Parse(text)).Reason);
    }
}
