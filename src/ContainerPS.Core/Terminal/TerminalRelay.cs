using System.Runtime.InteropServices;
using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Terminal;

/// <summary>
/// Connects our terminal to a pty while a process inside uses it, as `docker exec -it` does: our terminal goes raw
/// (so Ctrl-C reaches the process inside as a byte its line discipline turns into SIGINT), bytes are copied both
/// ways, the window size follows ours (SIGWINCH), and the terminal is restored however the session ends.
/// Works without a terminal too (stdin a pipe), then without raw mode or resizing.
/// </summary>
public static unsafe class TerminalRelay
{
    private const ulong TIOCGWINSZ = 0x5413;

    /// <summary>Our standard input and output, borrowed: the relay uses them and never closes them.</summary>
    private static readonly SafeFd Stdin = new(0, ownsHandle: false), Stdout = new(1, ownsHandle: false);

    /// <summary>
    /// Writes all of <paramref name="data"/>; false once the other side is gone (our output closed, EPIPE; the
    /// process's terminal hung up, EIO), which ends that direction of the copy rather than the session.
    /// </summary>
    private static bool TryWriteAll(SafeFd fd, ReadOnlySpan<byte> data)
    {
        try
        {
            for (var written = 0; written < data.Length;)
            {
                written += Sys.Write(fd, data[written..]);
            }
            return true;
        }
        catch (NativeException)
        {
            return false;
        }
    }

    public static void Run(Pty pty, Func<bool> stop)
    {
        var interactive = Sys.IsTerminal(Stdin);
        var saved = interactive ? Sys.TerminalAttributes(Stdin) : default;
        if (interactive)
        {
            var raw = saved;
            raw.c_iflag &= ~(uint)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
            raw.c_oflag &= ~(uint)OPOST;
            raw.c_lflag &= ~(uint)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
            raw.c_cflag = (raw.c_cflag & ~(uint)(CSIZE | PARENB)) | (uint)CS8;
            Sys.SetTerminalAttributes(Stdin, raw);
        }
        using var resize = interactive ? PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => FollowWindowSize(pty)) : null;
        try
        {
            if (interactive)
            {
                FollowWindowSize(pty);
            }
            var done = false;
            var input = Task.Factory.StartNew(() => CopyInput(pty, () => done || stop()), TaskCreationOptions.LongRunning);
            CopyOutput(pty);
            done = true;
            input.Wait();
        }
        finally
        {
            if (interactive)
            {
                Sys.SetTerminalAttributes(Stdin, saved);
            }
        }
    }

    /// <summary>Copies what the process writes until its side of the pty is closed (read gives EIO then).</summary>
    private static void CopyOutput(Pty pty)
    {
        var buffer = new byte[4096];
        int n;
        while ((n = ReadOrEnd(pty.Master, buffer)) > 0 && TryWriteAll(Stdout, buffer.AsSpan(0, n)))
        {
        }
    }

    /// <summary>Copies our stdin to the process, polling so it can stop once the process is gone.</summary>
    private static void CopyInput(Pty pty, Func<bool> done)
    {
        var buffer = new byte[4096];
        while (!done())
        {
            if (!Sys.PollReadable(Stdin, 50))
            {
                continue;
            }
            var n = ReadOrEnd(Stdin, buffer);
            if (n <= 0)
            {
                // Our input ended (a pipe, not a person): pass the end on as the terminal's EOF character, so a
                // shell reading it exits as `docker exec -i` would, instead of waiting forever.
                TryWriteAll(pty.Master, [4]);
                return;
            }
            if (!TryWriteAll(pty.Master, buffer.AsSpan(0, n)))
            {
                return;
            }
        }
    }

    /// <summary>What one read gives, or 0 once the other side is gone (the process's side of the pty closed: EIO).</summary>
    private static int ReadOrEnd(SafeFd fd, byte[] buffer)
    {
        try
        {
            return Sys.Read(fd, buffer);
        }
        catch (NativeException)
        {
            return 0;
        }
    }

    private static void FollowWindowSize(Pty pty)
    {
        var size = stackalloc ushort[4];
        if (LibcCalls.Ioctl(1, TIOCGWINSZ, (nint)size) == 0 || LibcCalls.Ioctl(0, TIOCGWINSZ, (nint)size) == 0)
        {
            pty.Resize(size[0], size[1]);
        }
    }
}
