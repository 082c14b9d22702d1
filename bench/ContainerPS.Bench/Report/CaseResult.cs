using System.Globalization;

namespace ContainerPS.Bench.Report;

/// <summary>One row of a case's table: a tool's measurements, or why there are none.</summary>
public sealed record Row(string Tool, string Unit, Samples? Values, Row[] Against, string? Missing = null);

/// <summary>A target from issue 7 and whether this run met it.</summary>
public sealed record Target(string Goal, string Measured, bool? Met);

/// <summary>
/// What one case found: its table (our rows, peer rows with their ratios, detail rows such as the phases of our
/// pipeline), notes, the targets it decides, or the reason it failed.
/// </summary>
public sealed class CaseResult(string title, string method)
{
    public string Title { get; } = title;
    public string Method { get; } = method;
    public List<Row> Rows { get; } = [];
    public List<string> Notes { get; } = [];
    public List<Target> Targets { get; } = [];
    public string? Failure { get; set; }

    /// <summary>A row without a ratio: ours, or a detail that explains where time or memory goes.</summary>
    public Row Add(string tool, string unit, IEnumerable<double> values) => Keep(new Row(tool, unit, new Samples(values), []));

    /// <summary>A peer's row; its ratio is each given row's median over this one's (the first given is the main one).</summary>
    public Row Peer(string tool, string unit, IEnumerable<double> values, params Row[] against) => Keep(new Row(tool, unit, new Samples(values), against));

    public Row Unavailable(string tool, string why) => Keep(new Row(tool, "", null, [], why));

    public void Note(string text) => Notes.Add(text);

    /// <summary>A lower-is-better target on two rows: met when ours / theirs is at most <paramref name="limit"/>.</summary>
    public void Target(string goal, Row ours, Row theirs, double limit)
    {
        if (ours.Values is null || theirs.Values is null)
        {
            Targets.Add(new Target(goal, $"{ours.Tool}: {ours.Missing ?? theirs.Missing}", null));
            return;
        }
        var ratio = ours.Values.Median / theirs.Values.Median;
        Targets.Add(new Target(goal, $"{Format(ours.Values.Median, ours.Unit)} vs {Format(theirs.Values.Median, theirs.Unit)}: {Ratio(ratio)}", ratio <= limit));
    }

    public static string Ratio(double ratio) => ratio.ToString(ratio >= 10 ? "0" : "0.00", CultureInfo.InvariantCulture) + "x";

    public static string Format(double value, string unit) => unit switch
    {
        "ms" when value >= 1000 => (value / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s",
        "ms" => value.ToString(value >= 100 ? "0" : "0.0#", CultureInfo.InvariantCulture) + " ms",
        _ => value.ToString("0.00", CultureInfo.InvariantCulture) + " " + unit,
    };

    private Row Keep(Row row)
    {
        Rows.Add(row);
        return row;
    }
}
