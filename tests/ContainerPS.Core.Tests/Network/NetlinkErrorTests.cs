using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.Tests.Network;

[Collection(KernelNetworkCollection.Name)]
public class NetlinkErrorTests
{
    [SkippableFact]
    public void Duplicate_link_name_fails_with_EEXIST_naming_the_link_and_makes_nothing()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var (name, peerName, otherPeer) = (scratch.Link("da"), scratch.Link("db"), scratch.Link("dc"));
        Veth.Create(socket, name, peerName);

        var error = Assert.Throws<NetlinkException>(() => Veth.Create(socket, name, otherPeer));

        Assert.Equal(("RTM_NEWLINK", "EEXIST"), (error.Syscall, error.ErrnoName));
        // This kernel gives no extended ack for a taken name; when one does, it follows the errno.
        var expected = $"RTM_NEWLINK {name} (peer {otherPeer}): EEXIST (File exists)";
        Assert.Equal(error.ExtendedAck is null ? expected : $"{expected}: {error.ExtendedAck}", error.Message);
        Assert.Null(Link.TryGet(socket, otherPeer));
    }

    [SkippableFact]
    public void Duplicate_address_fails_with_EEXIST_and_the_kernels_extended_ack()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var (name, peerName) = (scratch.Link("ea"), scratch.Link("eb"));
        Veth.Create(socket, name, peerName);
        var index = Link.Get(socket, name).Index;
        var address = Cidr.Parse($"{ScratchNetwork.V4(0, 1)}/30");
        Address.Add(socket, index, address);

        var error = Assert.Throws<NetlinkException>(() => Address.Add(socket, index, address));

        Assert.Equal("EEXIST", error.ErrnoName);
        Assert.Equal("ipv4: Address already assigned", error.ExtendedAck);
        Assert.Equal($"RTM_NEWADDR {address} on ifindex {index}: EEXIST (File exists): ipv4: Address already assigned", error.Message);
    }

    [SkippableFact]
    public void Mtu_below_the_minimum_carries_the_kernels_reason()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var (name, peerName) = (scratch.Link("ua"), scratch.Link("ub"));
        Veth.Create(socket, name, peerName);
        var index = Link.Get(socket, name).Index;

        var error = Assert.Throws<NetlinkException>(() => Link.SetMtu(socket, index, 10));

        Assert.Equal("RTM_SETLINK", error.Syscall);
        Assert.Equal("mtu less than device minimum", error.ExtendedAck);
        Assert.Equal($"RTM_SETLINK ifindex {index}: EINVAL (Invalid argument): mtu less than device minimum", error.Message);
        Assert.Equal(1500, Link.Get(socket, index).Mtu);
    }

    [SkippableFact]
    public void A_malformed_attribute_is_refused_with_the_kernels_reason_and_its_offset()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var (name, peerName) = (scratch.Link("fa"), scratch.Link("fb"));
        Veth.Create(socket, name, peerName);
        var index = Link.Get(socket, name).Index;

        // IFLA_MTU (4) with a 2-byte value where the kernel's policy wants a u32.
        var message = new NetlinkMessageBuilder(stackalloc byte[64], NetlinkMessageType.SetLink, 0);
        message.AddHeader(new InterfaceInfo { Index = index });
        message.Add(4, [0x05, 0xdc]);
        var request = message.Complete().ToArray();
        var error = Assert.Throws<NetlinkException>(() => socket.Request(request, name));

        Assert.Equal("ERANGE", error.ErrnoName);
        Assert.Equal($"RTM_SETLINK {name}: ERANGE (Numerical result out of range): Attribute failed policy validation", error.Message);
        Assert.Equal(16 + 16, error.AttributeOffset); // the attribute right after nlmsghdr and ifinfomsg
    }

    [SkippableFact]
    public void A_missing_link_is_ENODEV_and_TryGet_says_null()
    {
        RootOnly.Require();
        using var socket = NetlinkSocket.Open();
        var name = ScratchNetwork.RunPrefix + "none";

        var error = Assert.Throws<NetlinkException>(() => Link.Get(socket, name));

        Assert.Equal($"RTM_GETLINK {name}: ENODEV (No such device)", error.Message);
        Assert.Null(Link.TryGet(socket, name));
        Assert.Equal("ENODEV", Assert.Throws<NetlinkException>(() => Link.Delete(socket, name)).ErrnoName);
    }

    [SkippableFact]
    public void Invalid_names_are_refused_before_anything_is_sent()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var tooLong = scratch.Link("toolong");

        var error = Assert.Throws<ContainerPSException>(() => Veth.Create(socket, tooLong + "x", scratch.Link("ok")));
        Assert.Equal(tooLong + "x", error.Target);
        Assert.Contains("is 16 bytes long", error.Message);
        Assert.Equal("bad:name", Assert.Throws<ContainerPSException>(() => Veth.Create(socket, scratch.Link("ok"), "bad:name")).Target);
        Assert.Empty(ScratchNetwork.LinksOfThisRun());
    }

    [SkippableFact]
    public void A_peer_namespace_that_does_not_exist_fails_before_any_link_is_made()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var missing = NetworkNamespace.Named($"cps-nltest-{ScratchNetwork.RunToken}-missing");

        var error = Assert.Throws<NativeException>(() => Veth.Create(socket, scratch.Link("xa"), scratch.Link("xb"), missing));

        Assert.Equal(("open", "ENOENT"), (error.Syscall, error.ErrnoName));
        Assert.Contains($"/run/netns/cps-nltest-{ScratchNetwork.RunToken}-missing", error.Message);
        Assert.Empty(ScratchNetwork.LinksOfThisRun());
    }

    /// <summary>struct ifinfomsg, spelled out here to send a request the typed API would never build.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct InterfaceInfo
    {
        public int FamilyAndType;
        public int Index;
        public uint Flags;
        public uint Change;
    }
}
