using System.Management.Automation.Host;

namespace ContainerPS.Host;

/// <summary>
/// The console geometry and keys as the engine sees them. Sizes come from the terminal when stdout is one;
/// when output is redirected there is no window, so tables are laid out for 120 columns as pwsh does.
/// Screen-buffer access is refused, as it is by pwsh on Unix, where the terminal offers no such thing.
/// </summary>
internal sealed class ConsoleHostRawUserInterface : PSHostRawUserInterface
{
    private const int DefaultWidth = 120;
    private const int DefaultHeight = 50;

    private string _windowTitle = "containerps";

    /// <summary>Colours start out "unset" (-1, what .NET reports on Unix): text is written in the terminal's own colours.</summary>
    public override ConsoleColor ForegroundColor { get; set; } = (ConsoleColor)(-1);

    public override ConsoleColor BackgroundColor { get; set; } = (ConsoleColor)(-1);

    public override Coordinates CursorPosition
    {
        // Asking a Unix terminal for the cursor means a query written to it and an answer read from stdin,
        // which only works when both are the terminal.
        get
        {
            if (!IsTerminal)
            {
                return new Coordinates(0, 0);
            }

            (int left, int top) = Console.GetCursorPosition();
            return new Coordinates(left, top);
        }
        set
        {
            if (IsTerminal)
            {
                Console.SetCursorPosition(value.X, value.Y);
            }
        }
    }

    public override int CursorSize { get; set; } = 25;

    public override Size BufferSize
    {
        get => WindowSize;
        set => throw new NotSupportedException("The buffer size of a Unix terminal cannot be set.");
    }

    public override Size WindowSize
    {
        get
        {
            if (!Console.IsOutputRedirected)
            {
                try
                {
                    int width = Console.WindowWidth;
                    int height = Console.WindowHeight;
                    if (width > 0 && height > 0)
                    {
                        return new Size(width, height);
                    }
                }
                catch (IOException)
                {
                    // A terminal that does not answer the size query: fall back like a redirected stream.
                }
            }

            return new Size(DefaultWidth, DefaultHeight);
        }
        set => throw new NotSupportedException("The window size of a Unix terminal cannot be set.");
    }

    public override Size MaxWindowSize => WindowSize;

    public override Size MaxPhysicalWindowSize => WindowSize;

    public override Coordinates WindowPosition
    {
        get => new(0, 0);
        set => throw new NotSupportedException("The window position of a Unix terminal cannot be set.");
    }

    public override bool KeyAvailable => !Console.IsInputRedirected && Console.KeyAvailable;

    public override string WindowTitle
    {
        get => _windowTitle;
        set
        {
            _windowTitle = value;
            if (!Console.IsOutputRedirected)
            {
                Console.Title = value;
            }
        }
    }

    private static bool IsTerminal => !Console.IsInputRedirected && !Console.IsOutputRedirected;

    public override KeyInfo ReadKey(ReadKeyOptions options)
    {
        if (Console.IsInputRedirected)
        {
            throw new InvalidOperationException("Cannot read a key: standard input is redirected, not a terminal.");
        }

        ConsoleKeyInfo key = Console.ReadKey(intercept: (options & ReadKeyOptions.NoEcho) != 0);
        var state = default(ControlKeyStates);
        if ((key.Modifiers & ConsoleModifiers.Shift) != 0)
        {
            state |= ControlKeyStates.ShiftPressed;
        }

        if ((key.Modifiers & ConsoleModifiers.Alt) != 0)
        {
            state |= ControlKeyStates.LeftAltPressed;
        }

        if ((key.Modifiers & ConsoleModifiers.Control) != 0)
        {
            state |= ControlKeyStates.LeftCtrlPressed;
        }

        // A terminal reports key presses only, never releases.
        return new KeyInfo((int)key.Key, key.KeyChar, state, keyDown: true);
    }

    public override void FlushInputBuffer()
    {
        while (KeyAvailable)
        {
            Console.ReadKey(intercept: true);
        }
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
        throw new NotSupportedException("Reading the screen buffer is not supported by a Unix terminal.");

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) =>
        throw new NotSupportedException("Writing the screen buffer is not supported by a Unix terminal.");

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) =>
        throw new NotSupportedException("Writing the screen buffer is not supported by a Unix terminal.");

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) =>
        throw new NotSupportedException("Scrolling the screen buffer is not supported by a Unix terminal.");
}
