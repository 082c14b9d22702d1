using System.Text;

namespace ContainerPS.Bench.Report;

/// <summary>Writes bench/results.md: the machine and tool versions, the targets with their verdicts, a table per case, the clean-up audit.</summary>
public static class ResultsFile
{
    public static string Render(IReadOnlyList<(string Name, string Value)> machine, IReadOnlyList<CaseResult> cases, IReadOnlyList<string> cleanup, TimeSpan duration)
    {
        var md = new StringBuilder();
        md.AppendLine("# ContainerPS benchmark results");
        md.AppendLine();
        md.AppendLine($"Written by `./build.sh bench` (bench/ContainerPS.Bench) in {duration.TotalMinutes:0.0} minutes. Lower is better everywhere. " +
            "Ratio = the ContainerPS row's median / that tool's median: below 1 ContainerPS is faster or smaller. ContainerPS runs " +
            "from a warm PowerShell session (the module imported, one pipeline per operation, parameters bound, not spliced); " +
            "the peers run as processes started and timed by a small .NET runner (fork/exec to exit), crun's runner in a mount " +
            "namespace without the cgroup2 tree, entered once before timing. Tools take turns each round, in an order that rotates from round to round; warm-up rounds are discarded.");
        md.AppendLine();
        Table(md, ["", ""], machine.Select(m => new[] { m.Name, m.Value }));

        md.AppendLine("## Targets (issue 7)");
        md.AppendLine();
        Table(md, ["target", "measured (medians)", "met"], cases.SelectMany(c => c.Targets.Select(t => new[]
        {
            t.Goal, t.Measured, t.Met switch { true => "yes", false => "**no**", null => "not measured" },
        })).Concat(cases.Where(c => c.Failure is not null && c.Targets.Count == 0).Select(c => new[] { c.Title, "case failed", "not measured" })));

        foreach (var result in cases)
        {
            md.AppendLine($"## {result.Title}");
            md.AppendLine();
            md.AppendLine(result.Method);
            md.AppendLine();
            if (result.Failure is not null)
            {
                md.AppendLine($"**Failed:** {result.Failure}");
                md.AppendLine();
            }
            if (result.Rows.Count > 0)
            {
                Table(md, ["tool", "n", "min", "median", "max", "ratio (ours/theirs)"], result.Rows.Select(Cells));
            }
            foreach (var note in result.Notes)
            {
                md.AppendLine($"- {note}");
            }
            if (result.Notes.Count > 0)
            {
                md.AppendLine();
            }
        }

        md.AppendLine("## Clean-up");
        md.AppendLine();
        foreach (var line in cleanup)
        {
            md.AppendLine($"- {line}");
        }
        return md.ToString();
    }

    private static string[] Cells(Row row)
    {
        if (row.Values is not { } v)
        {
            return [row.Tool, "0", "", row.Missing ?? "", "", ""];
        }
        var ratios = row.Against.Where(a => a.Values is not null)
            .Select((a, i) => i == 0 ? CaseResult.Ratio(a.Values!.Median / v.Median) : $"({CaseResult.Ratio(a.Values!.Median / v.Median)} for {a.Tool})");
        return [row.Tool, v.Count.ToString(), CaseResult.Format(v.Min, row.Unit), CaseResult.Format(v.Median, row.Unit), CaseResult.Format(v.Max, row.Unit), string.Join(" ", ratios)];
    }

    private static void Table(StringBuilder md, string[] header, IEnumerable<string[]> rows)
    {
        md.AppendLine("| " + string.Join(" | ", header) + " |");
        md.AppendLine("|" + string.Concat(header.Select(_ => " --- |")));
        foreach (var row in rows)
        {
            md.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|"))) + " |");
        }
        md.AppendLine();
    }
}
