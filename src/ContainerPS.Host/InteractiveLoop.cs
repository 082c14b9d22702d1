using System.Management.Automation.Language;

namespace ContainerPS.Host;

/// <summary>
/// The read-run loop of the interactive prompt (and of nested prompts): show the prompt function's text, read a
/// statement (continuing with "&gt;&gt; " while it is incomplete, as pwsh does), run it. It ends at `exit`, at the
/// end of input, or, for a nested prompt, when the engine asks the host to leave it.
/// </summary>
internal sealed class InteractiveLoop(ConsoleHost host, PipelineRunner runner)
{
    private volatile bool _stopped;

    public void Stop() => _stopped = true;

    public void Run()
    {
        while (!_stopped && host.RequestedExitCode is null)
        {
            // Like pwsh: output that did not end its line (a native command's, or one cut short by Ctrl-C)
            // must not have the prompt glued to it.
            if (host.UI.RawUI.CursorPosition.X != 0)
            {
                host.ConsoleUI.WriteLine(string.Empty);
            }

            host.ConsoleUI.Write(runner.EvaluatePrompt());
            string? statement = ReadStatement();
            if (statement is null)
            {
                // End of input: leave as `exit` would, but without a newline the shell prompt would follow ours.
                host.ConsoleUI.WriteLine(string.Empty);
                return;
            }

            if (!string.IsNullOrWhiteSpace(statement))
            {
                runner.RunScript(statement, addToHistory: true);
            }
        }
    }

    /// <summary>One line, or several while the parser says the input is incomplete; an empty line ends early.</summary>
    private string? ReadStatement()
    {
        string? text = host.ConsoleUI.ReadInputLine();
        while (text is not null && IsIncomplete(text))
        {
            host.ConsoleUI.Write(">> ");
            string? more = host.ConsoleUI.ReadInputLine();
            if (string.IsNullOrEmpty(more))
            {
                break;
            }

            text += "\n" + more;
        }

        return text;
    }

    private static bool IsIncomplete(string text)
    {
        Parser.ParseInput(text, out _, out ParseError[] errors);
        return errors.Any(e => e.IncompleteInput);
    }
}
