using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Processes;

/// <summary>
/// Lets a long-lived process give back the pages of code and read-only data that only its start-up used. A shim
/// lives as long as its container but runs most of its code once (reading the spec, preparing the setup); afterwards
/// it only polls, relays and waits. madvise(MADV_DONTNEED) over its clean file mappings unmaps those pages from it
/// (they stay in the page cache, and what the poll loop needs comes back on first use as a minor fault).
/// <para>
/// Only mappings without a single private copy (smaps "Anonymous: 0 kB" and "Swap: 0 kB") go: a read-only mapping
/// may still hold changed pages (relocations made before it was write-protected, RELRO), and dropping those would
/// lose them.
/// smaps is read into native memory and parsed without allocating, so the managed heap does not grow for it.
/// </para>
/// </summary>
public static unsafe class ResidentCode
{
    private const int MADV_DONTNEED = 4;
    private const int BufferSize = 1 << 20; // above malloc's mmap threshold: freeing it returns the pages at once
    private const int MaxMappings = 512;

    public static void Release()
    {
        var buffer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(BufferSize);
        var ranges = stackalloc ulong[MaxMappings * 2];
        var count = 0;
        try
        {
            using (var smaps = Sys.Open("/proc/self/smaps", O_RDONLY))
            {
                var length = 0;
                int n;
                while (length < BufferSize && (n = Sys.Read(smaps, new Span<byte>(buffer + length, BufferSize - length))) > 0)
                {
                    length += n;
                }
                count = CleanFileMappings(new ReadOnlySpan<byte>(buffer, length), new Span<ulong>(ranges, MaxMappings * 2));
            }
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(buffer);
        }
        for (var i = 0; i < count; i++)
        {
            // Nothing to undo on failure: the pages simply stay. (What the loop touches again comes back with up to
            // 64 KiB of neighbours, the kernel's fault-around; that is most of what stays resident.)
            madvise((void*)ranges[2 * i], (Tmds.Linux.size_t)(ranges[2 * i + 1] - ranges[2 * i]), MADV_DONTNEED);
        }
    }

    /// <summary>Start and end of each read-only, file-backed mapping with no changed page, in memory or in swap.</summary>
    private static int CleanFileMappings(ReadOnlySpan<byte> smaps, Span<ulong> ranges)
    {
        var count = 0;
        ulong start = 0, end = 0;
        var candidate = false;
        while (!smaps.IsEmpty)
        {
            var newline = smaps.IndexOf((byte)'\n');
            var line = newline < 0 ? smaps : smaps[..newline];
            smaps = newline < 0 ? default : smaps[(newline + 1)..];
            // "Anonymous" counts changed pages in memory only; a changed page that went to swap shows under "Swap".
            if (line.StartsWith("Anonymous:"u8) || line.StartsWith("Swap:"u8))
            {
                candidate &= IsZero(line);
                if (candidate && line.StartsWith("Swap:"u8) && count < ranges.Length / 2)
                {
                    ranges[2 * count] = start;
                    ranges[2 * count + 1] = end;
                    count++;
                }
            }
            else if (IsHeader(line, out var from, out var to, out var writable, out var fileBacked))
            {
                (start, end, candidate) = (from, to, fileBacked && !writable);
            }
        }
        return count;
    }

    /// <summary>"Name:      0 kB".</summary>
    private static bool IsZero(ReadOnlySpan<byte> line) => line[(line.IndexOf((byte)':') + 1)..].Trim((byte)' ').StartsWith("0 "u8);

    /// <summary>A mapping's header: "start-end perms offset dev inode [path]".</summary>
    private static bool IsHeader(ReadOnlySpan<byte> line, out ulong start, out ulong end, out bool writable, out bool fileBacked)
    {
        start = end = 0;
        writable = fileBacked = false;
        var dash = line.IndexOf((byte)'-');
        var space = line.IndexOf((byte)' ');
        if (dash <= 0 || space <= dash || !Hex(line[..dash], out start) || !Hex(line[(dash + 1)..space], out end))
        {
            return false;
        }
        writable = line.Length > space + 2 && line[space + 2] == (byte)'w';
        fileBacked = line.IndexOf((byte)'/') > 0;
        return true;
    }

    private static bool Hex(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        foreach (var d in digits)
        {
            var v = d is >= (byte)'0' and <= (byte)'9' ? d - '0' : d is >= (byte)'a' and <= (byte)'f' ? d - 'a' + 10 : -1;
            if (v < 0)
            {
                return false;
            }
            value = value << 4 | (uint)v;
        }
        return digits.Length > 0;
    }
}
