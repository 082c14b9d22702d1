using ContainerPS.Core.Cgroups;

namespace ContainerPS.Core.Tests.Cgroups;

public class CgroupUnitsTests
{
    [Theory]
    [InlineData(1024, 100)]
    [InlineData(2048, 200)]
    [InlineData(2, 1)]
    [InlineData(262144, 10000)]
    public void Shares_convert_to_weights_in_proportion_around_the_defaults(long shares, int weight) => Assert.Equal(weight, CgroupUnits.SharesToWeight(shares));

    [Theory]
    [InlineData(1)]
    [InlineData(39)]
    [InlineData(100)]
    [InlineData(200)]
    [InlineData(10000)]
    public void A_weight_set_through_shares_reads_back_as_set(int weight) =>
        Assert.Equal(weight, CgroupUnits.SharesToWeight(CgroupUnits.WeightToShares(weight)));

    [Theory]
    [InlineData(100, 500)]
    [InlineData(1, 10)]
    [InlineData(10000, 1000)]
    public void Io_weights_map_onto_the_blkio_range_around_its_default(int weight, int blkio) => Assert.Equal(blkio, CgroupUnits.IoWeightToBlkio(weight));

    [Theory]
    [InlineData(100)]
    [InlineData(40)]
    [InlineData(200)]
    public void An_io_weight_inside_the_blkio_range_reads_back_as_set(int weight) =>
        Assert.Equal(weight, CgroupUnits.BlkioToIoWeight(CgroupUnits.IoWeightToBlkio(weight)));
}
