using ContainerPS.Core.Network;

namespace ContainerPS.Core.Tests.Network;

[Collection(KernelNetworkCollection.Name)]
public class BatchDeleteTests
{
    [SkippableFact]
    public void A_batch_the_kernel_refuses_deletes_nothing_and_gives_every_link_its_group_back()
    {
        using var scratch = new ScratchNetwork();
        var ns = scratch.Namespace("b");
        using var inside = NetlinkSocket.Open(NetworkNamespace.Named(ns));
        var (name, peerName) = (scratch.Link("ba"), scratch.Link("bb"));
        Veth.Create(inside, name, peerName);
        var before = Link.List(inside);

        // The namespace's own lo cannot be deleted, so the kernel refuses the whole group.
        var error = Assert.Throws<NetlinkException>(() =>
            Link.DeleteMany(inside, [Link.Get(inside, name).Index, Link.Get(inside, "lo").Index]));

        Assert.Equal("RTM_DELLINK", error.Syscall);
        Assert.Equal(before, Link.List(inside));
        Assert.All(Link.List(inside), l => Assert.Equal(0u, l.Group));
    }
}
