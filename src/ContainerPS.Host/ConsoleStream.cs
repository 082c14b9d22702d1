using System.Management.Automation;
using System.Management.Automation.Internal;

namespace ContainerPS.Host;

/// <summary>
/// stdout or stderr, written the way pwsh writes them: escape sequences (the engine's own, from $PSStyle, and
/// our colours) reach a terminal and are stripped from a file or pipe, unless $PSStyle.OutputRendering says otherwise.
/// </summary>
internal sealed class ConsoleStream(TextWriter writer, bool isTerminal)
{
    public bool IsTerminal { get; } = isTerminal;

    public TextWriter Writer { get; } = writer;

    /// <summary>Writes text, wrapped in the escape sequence <paramref name="style"/> (and a reset) where colours are rendered.</summary>
    public void Write(string text, string? style = null)
    {
        if (RendersAnsi())
        {
            Writer.Write(string.IsNullOrEmpty(style) || text.Length == 0 ? text : style + text + PSStyle.Instance.Reset);
        }
        else
        {
            Writer.Write(text.Contains('\e') ? new StringDecorated(text).ToString(OutputRendering.PlainText) : text);
        }
    }

    private bool RendersAnsi() => PSStyle.Instance.OutputRendering switch
    {
        OutputRendering.Ansi => true,
        OutputRendering.PlainText => false,
        _ => IsTerminal,
    };

    /// <summary>The escape sequence for a pair of console colours; colours outside the 16 named ones mean "leave as is".</summary>
    public static string ColorSequence(ConsoleColor foreground, ConsoleColor background) =>
        (Enum.IsDefined(foreground) ? PSStyle.MapForegroundColorToEscapeSequence(foreground) : string.Empty)
        + (Enum.IsDefined(background) ? PSStyle.MapBackgroundColorToEscapeSequence(background) : string.Empty);
}
