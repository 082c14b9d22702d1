using System.Diagnostics;
using ContainerPS.Core.Network;
using Xunit.Abstractions;

namespace ContainerPS.Core.Tests.Network;

[Collection(KernelNetworkCollection.Name)]
public class VethChurnTests(ITestOutputHelper output)
{
    private const int Pairs = 200;

    [SkippableFact]
    public void Creating_and_deleting_200_veth_pairs_one_by_one_on_one_socket_leaves_no_link_behind()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var names = Enumerable.Range(0, Pairs).Select(i => (scratch.Link($"c{i}a"), scratch.Link($"c{i}b"))).ToList();

        var watch = Stopwatch.StartNew();
        foreach (var (name, peerName) in names)
        {
            Veth.Create(socket, name, peerName);
            Link.Delete(socket, name);
        }
        watch.Stop();

        output.WriteLine($"{Pairs} x (veth create + delete): {watch.Elapsed.TotalMilliseconds:F0} ms, {watch.Elapsed.TotalMilliseconds / Pairs:F2} ms per pair");
        Assert.DoesNotContain(Link.List(socket), l => l.Name.StartsWith(ScratchNetwork.RunPrefix, StringComparison.Ordinal));
        Assert.Empty(ScratchNetwork.LinksOfThisRun());
    }

    [SkippableFact]
    public void Creating_200_veth_pairs_and_deleting_them_in_one_batch_leaves_no_link_behind()
    {
        using var scratch = new ScratchNetwork();
        using var socket = NetlinkSocket.Open();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Pairs; i++)
        {
            Veth.Create(socket, scratch.Link($"g{i}a"), scratch.Link($"g{i}b"));
        }
        var created = watch.Elapsed;
        var ours = Link.List(socket).Where(l => l.Name.StartsWith(ScratchNetwork.RunPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * Pairs, ours.Count);
        Assert.All(ours, l => Assert.Equal(0u, l.Group));
        var unrelated = Link.List(socket).Where(l => !l.Name.StartsWith(ScratchNetwork.RunPrefix, StringComparison.Ordinal)).Select(l => l.Name).ToList();

        watch.Restart();
        Link.DeleteMany(socket, ours.Select(l => l.Index)); // both ends listed: the second of each pair is already gone
        var deleted = watch.Elapsed;

        output.WriteLine($"{Pairs} veth creates: {created.TotalMilliseconds:F0} ms; one batch delete: {deleted.TotalMilliseconds:F0} ms; " +
            $"{(created + deleted).TotalMilliseconds / Pairs:F2} ms per pair");
        Assert.Empty(ScratchNetwork.LinksOfThisRun());
        Assert.Empty(unrelated.Except(Link.List(socket).Select(l => l.Name))); // nothing else went with them
    }
}
