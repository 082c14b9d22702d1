using System.Management.Automation;
using System.Text;

namespace ContainerPS.Host;

/// <summary>
/// Write-Progress as one status line on stderr, redrawn in place, shown only when stderr is a terminal so that
/// redirected output never carries it. The line shows the most recently updated activity still running.
/// Callers hold the UI's write lock.
/// </summary>
internal sealed class ProgressLine(ConsoleStream stderr, Func<int> width)
{
    private const string EraseLine = "\r\e[K";

    // Most recently updated last; keyed like pwsh's progress pane, by source and activity id.
    private readonly List<(long SourceId, ProgressRecord Record)> _active = [];
    private bool _visible;

    public void Update(long sourceId, ProgressRecord record)
    {
        if (!stderr.IsTerminal)
        {
            return;
        }

        _active.RemoveAll(a => a.SourceId == sourceId && a.Record.ActivityId == record.ActivityId);
        if (record.RecordType != ProgressRecordType.Completed)
        {
            _active.Add((sourceId, record));
        }

        if (_active.Count == 0)
        {
            Clear();
            return;
        }

        stderr.Writer.Write(EraseLine + Describe(_active[^1].Record));
        _visible = true;
    }

    /// <summary>Takes the line off the screen, before other output is written or when a pipeline ends.</summary>
    public void Clear()
    {
        if (_visible)
        {
            stderr.Writer.Write(EraseLine);
            _visible = false;
        }
    }

    /// <summary>Forgets every activity: a pipeline that ended cannot complete its records any more.</summary>
    public void Reset()
    {
        _active.Clear();
        Clear();
    }

    private string Describe(ProgressRecord record)
    {
        var text = new StringBuilder(record.Activity);
        if (!string.IsNullOrEmpty(record.StatusDescription))
        {
            text.Append(": ").Append(record.StatusDescription);
        }

        if (record.PercentComplete >= 0)
        {
            text.Append(' ').Append(record.PercentComplete).Append('%');
        }

        if (record.SecondsRemaining >= 0)
        {
            text.Append(" (").Append(TimeSpan.FromSeconds(record.SecondsRemaining)).Append(" left)");
        }

        if (!string.IsNullOrEmpty(record.CurrentOperation))
        {
            text.Append(" - ").Append(record.CurrentOperation);
        }

        // One column short of the width: a line that wraps could no longer be erased with a carriage return.
        int max = Math.Max(width() - 1, 1);
        text.Replace('\n', ' ').Replace('\r', ' ');
        return text.Length > max ? text.ToString(0, max) : text.ToString();
    }
}
