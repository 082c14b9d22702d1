using System.Management.Automation;

namespace ContainerPS.Completion;

/// <summary>
/// What every completer of ours does with the names it found: keeps those that start with what was typed (quotes and
/// case aside), quotes the ones PowerShell would split or read as code, and never lets a failure out, because an
/// exception in a completer is swallowed by the shell and the user only sees that Tab does nothing.
/// </summary>
internal static class CompletionList
{
    /// <summary>Characters that end or change a bare word in argument mode.</summary>
    private static readonly char[] NeedsQuotes = [' ', '\t', '\'', '"', '`', '$', '(', ')', '{', '}', '[', ']', ';', ',', '|', '&', '<', '>', '@', '#'];

    /// <summary>A name and the tooltip shown beside it in a completion menu.</summary>
    public readonly record struct Candidate(string Text, string Tooltip);

    public static IEnumerable<CompletionResult> Of(string? wordToComplete, Func<IEnumerable<Candidate>> find)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        try
        {
            return find()
                .Where(c => c.Text.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .DistinctBy(c => c.Text)
                .Select(c => new CompletionResult(Quote(c.Text), c.Text, CompletionResultType.ParameterValue, c.Tooltip))
                .ToArray();
        }
        catch (Exception)
        {
            // Completion is a convenience: a damaged record or a vanished namespace must not break typing.
            return [];
        }
    }

    /// <summary>The name as it must be typed: bare when it can be, else in single quotes ('' for a quote inside).</summary>
    public static string Quote(string name) =>
        name.Length > 0 && name.IndexOfAny(NeedsQuotes) < 0 && name[0] != '-'
            ? name
            : "'" + name.Replace("'", "''") + "'";
}
