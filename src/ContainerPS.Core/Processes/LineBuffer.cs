using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Processes;

/// <summary>
/// Splits what a pipe delivers into lines: complete lines are handed on as they arrive, a partial one waits for the
/// rest, and one longer than the buffer is handed on in pieces rather than held without bound.
/// </summary>
internal sealed class LineBuffer(int capacity)
{
    private readonly byte[] _buffer = new byte[capacity];
    private int _used;

    public delegate void LineHandler(ReadOnlySpan<byte> line);

    /// <summary>Reads once from <paramref name="pipe"/> and hands on every complete line. False at EOF.</summary>
    public bool ReadFrom(SafeFd pipe, LineHandler onLine)
    {
        var n = Sys.Read(pipe, _buffer.AsSpan(_used));
        if (n == 0)
        {
            return false;
        }
        _used += n;
        var start = 0;
        int newline;
        while ((newline = Array.IndexOf(_buffer, (byte)'\n', start, _used - start)) >= 0)
        {
            onLine(_buffer.AsSpan(start, newline - start));
            start = newline + 1;
        }
        Array.Copy(_buffer, start, _buffer, 0, _used - start);
        _used -= start;
        if (_used == _buffer.Length)
        {
            Flush(onLine);
        }
        return true;
    }

    /// <summary>Hands on what is left (a last line without a newline).</summary>
    public void Flush(LineHandler onLine)
    {
        if (_used > 0)
        {
            onLine(_buffer.AsSpan(0, _used));
            _used = 0;
        }
    }
}
