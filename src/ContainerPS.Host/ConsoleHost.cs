using System.Globalization;
using System.Management.Automation.Host;

namespace ContainerPS.Host;

/// <summary>
/// The host the engine talks to ($Host): identity, cultures, the console UI, and the exit request that
/// `exit N` makes. Nested prompts are the interactive loop run again from inside a running pipeline.
/// </summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly ConsoleHostUserInterface _ui;
    private readonly Stack<InteractiveLoop> _nestedLoops = new();

    public ConsoleHost(bool nonInteractive)
    {
        _ui = new ConsoleHostUserInterface(nonInteractive);
    }

    public override string Name => "ContainerPSHost";

    public override Version Version { get; } = typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(0, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public ConsoleHostUserInterface ConsoleUI => _ui;

    // Captured at startup: the engine reads these on its own threads, which must format like the user's session.
    public override CultureInfo CurrentCulture { get; } = CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture { get; } = CultureInfo.CurrentUICulture;

    /// <summary>The code `exit N` asked for, or null while nothing has asked the host to exit.</summary>
    public int? RequestedExitCode { get; private set; }

    /// <summary>Runs a nested prompt's loop; set by the program once the runspace exists.</summary>
    public Func<InteractiveLoop>? NestedLoopFactory { get; set; }

    public override void SetShouldExit(int exitCode) => RequestedExitCode = exitCode;

    public override void EnterNestedPrompt()
    {
        InteractiveLoop loop = NestedLoopFactory?.Invoke()
            ?? throw new NotSupportedException("A nested prompt needs the interactive loop, which is not set up yet.");
        _nestedLoops.Push(loop);
        try
        {
            loop.Run();
        }
        finally
        {
            _nestedLoops.Pop();
        }
    }

    public override void ExitNestedPrompt()
    {
        if (_nestedLoops.TryPeek(out InteractiveLoop? loop))
        {
            loop.Stop();
        }
    }

    // Nothing to do around native commands: on Unix the terminal needs no mode switching as Windows consoles do.
    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }
}
