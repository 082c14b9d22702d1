using System.Management.Automation;
using System.Management.Automation.Host;

namespace ContainerPS.Host;

/// <summary>
/// The host's text output, as pwsh's console host writes it: output, warnings, verbose and debug lines to stdout;
/// errors to stderr; progress as a status line on a terminal's stderr. Reading and prompting are in the other part
/// of this class. Writes come from the pipeline thread and the main thread, so they go through one lock.
/// </summary>
internal sealed partial class ConsoleHostUserInterface : PSHostUserInterface
{
    private readonly object _writeLock = new();
    private readonly ConsoleHostRawUserInterface _rawUI = new();
    private readonly ConsoleStream _stdout;
    private readonly ConsoleStream _stderr;
    private readonly ProgressLine _progress;
    private readonly bool _nonInteractive;
    private volatile bool _outputOnStderr;

    public ConsoleHostUserInterface(bool nonInteractive)
    {
        _nonInteractive = nonInteractive;

        _stdout = new ConsoleStream(Console.Out, !Console.IsOutputRedirected);
        _stderr = new ConsoleStream(Console.Error, !Console.IsErrorRedirected);
        _progress = new ProgressLine(_stderr, () => _rawUI.WindowSize.Width);
    }

    public override PSHostRawUserInterface RawUI => _rawUI;

    // As pwsh on Unix: terminals understand escape sequences; whether they are sent is $PSStyle.OutputRendering's
    // call (see ConsoleStream), and a redirected stream gets them stripped.
    public override bool SupportsVirtualTerminal => true;

    public override void Write(string value) => Write(_rawUI.ForegroundColor, _rawUI.BackgroundColor, value);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
        WriteTo(_outputOnStderr ? _stderr : _stdout, value, ConsoleStream.ColorSequence(foregroundColor, backgroundColor));

    public override void WriteLine(string value) => Write(value + "\n");

    public override void WriteLine(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
        Write(foregroundColor, backgroundColor, value + "\n");

    public override void WriteErrorLine(string value) => WriteTo(_stderr, value + "\n", PSStyle.Instance.Formatting.Error);

    public override void WriteWarningLine(string message) =>
        WriteTo(_stdout, "WARNING: " + message + "\n", PSStyle.Instance.Formatting.Warning);

    public override void WriteVerboseLine(string message) =>
        WriteTo(_stdout, "VERBOSE: " + message + "\n", PSStyle.Instance.Formatting.Verbose);

    public override void WriteDebugLine(string message) =>
        WriteTo(_stdout, "DEBUG: " + message + "\n", PSStyle.Instance.Formatting.Debug);

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        lock (_writeLock)
        {
            _progress.Update(sourceId, record);
        }
    }

    /// <summary>Runs <paramref name="action"/> with output text going to stderr (for errors the host formats itself).</summary>
    public void WithOutputOnStderr(Action action)
    {
        _outputOnStderr = true;
        try
        {
            action();
        }
        finally
        {
            _outputOnStderr = false;
        }
    }

    /// <summary>Called when a pipeline ends: any progress it left on screen is stale.</summary>
    public void ResetProgress()
    {
        lock (_writeLock)
        {
            _progress.Reset();
        }
    }

    private void WriteTo(ConsoleStream stream, string text, string? style)
    {
        lock (_writeLock)
        {
            // The progress line sits on the terminal's current line; take it away so text starts at column 0.
            _progress.Clear();

            // Colour each line on its own so a reset never lands after the newline (a terminal would carry
            // a background colour onto the next line).
            int start = 0;
            while (start < text.Length)
            {
                int newline = text.IndexOf('\n', start);
                int end = newline < 0 ? text.Length : newline;
                stream.Write(text[start..end], style);
                if (newline >= 0)
                {
                    stream.Writer.Write('\n');
                }

                start = end + 1;
            }
        }
    }
}
