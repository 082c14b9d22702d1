namespace ContainerPS.Bench.Report;

/// <summary>Measurements of one tool in one case (milliseconds or megabytes), summarised by min, median and max.</summary>
public sealed class Samples(IEnumerable<double> values)
{
    private readonly double[] _sorted = values.Order().ToArray();

    public int Count => _sorted.Length;
    public double Min => _sorted[0];
    public double Max => _sorted[^1];

    public double Median => _sorted.Length % 2 == 1
        ? _sorted[_sorted.Length / 2]
        : (_sorted[_sorted.Length / 2 - 1] + _sorted[_sorted.Length / 2]) / 2;
}
