using ContainerPS.Core.Cgroups;

namespace ContainerPS.Core.Tests.Cgroups;

public class CgroupUnitsTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(1024, 39)]
    [InlineData(262144, 10000)]
    public void Shares_convert_to_weights_as_runc_does(long shares, int weight) => Assert.Equal(weight, CgroupUnits.SharesToWeight(shares));

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(10000)]
    public void Weights_survive_a_round_trip_through_shares(int weight) =>
        Assert.InRange(CgroupUnits.SharesToWeight(CgroupUnits.WeightToShares(weight)), weight - 1, weight);

    [Theory]
    [InlineData(1, 10)]
    [InlineData(10000, 1000)]
    public void Io_weights_map_onto_the_blkio_range(int weight, int blkio) => Assert.Equal(blkio, CgroupUnits.IoWeightToBlkio(weight));
}
