using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Interop;

/// <summary>The terminal calls the terminal relay makes: is it one, its attributes (raw mode and back).</summary>
public static unsafe partial class Sys
{
    /// <summary>Whether the descriptor is a terminal.</summary>
    public static bool IsTerminal(SafeFd fd) => isatty(fd.Value) == 1;

    public static termios TerminalAttributes(SafeFd fd)
    {
        termios attributes;
        Check.Result(tcgetattr(fd.Value, &attributes), "tcgetattr");
        return attributes;
    }

    /// <summary>tcsetattr(TCSANOW).</summary>
    public static void SetTerminalAttributes(SafeFd fd, termios attributes) =>
        Check.Result(tcsetattr(fd.Value, (int)TCSANOW, &attributes), "tcsetattr");
}
