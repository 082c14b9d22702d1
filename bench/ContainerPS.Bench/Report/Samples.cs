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

    /// <summary>Sums of the i-th values of each list: per-iteration totals of phases timed separately.</summary>
    public static Samples Sum(IReadOnlyList<double> a, IReadOnlyList<double> b) => new(a.Zip(b, (x, y) => x + y));
}
