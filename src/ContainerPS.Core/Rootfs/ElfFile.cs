using System.Buffers.Binary;
using System.Text;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// What the dynamic loader needs to know about a 64-bit little-endian ELF object for the host's machine (x86-64 or
/// AArch64): its program interpreter (PT_INTERP), the libraries it needs (DT_NEEDED) and where it asks for them to be
/// searched (DT_RUNPATH, DT_RPATH). Only the headers, the dynamic segment and its string table are
/// read, never the whole file (libraries can be hundreds of megabytes).
/// </summary>
public sealed class ElfFile
{
    private const int HeaderSize = 64;
    private const int ProgramHeaderSize = 56;
    private const int SectionHeaderSize = 64;
    private const int DynamicEntrySize = 16;
    private const int MaxInterpreterBytes = 4096; // PATH_MAX: the kernel refuses longer interpreter paths

    private const byte Class64 = 2;
    private const byte LittleEndian = 1;
    private const ushort TypeExecutable = 2;
    private const ushort TypeSharedObject = 3;
    private const ushort ProgramHeaderCountInSection0 = 0xffff; // PN_XNUM

    private const uint SegmentLoad = 1;
    private const uint SegmentDynamic = 2;
    private const uint SegmentInterpreter = 3;

    private const long TagNull = 0;
    private const long TagNeeded = 1;
    private const long TagStringTable = 5;
    private const long TagStringTableSize = 10;
    private const long TagRPath = 15;
    private const long TagRunPath = 29;

    private ElfFile(string? interpreter, IReadOnlyList<string> needed, string? runPath, string? rPath)
    {
        Interpreter = interpreter;
        Needed = needed;
        RunPath = runPath;
        RPath = rPath;
    }

    /// <summary>The program interpreter (the dynamic loader) an executable names, e.g. /lib64/ld-linux-x86-64.so.2.</summary>
    public string? Interpreter { get; }

    /// <summary>The DT_NEEDED library names, in the order the loader loads them.</summary>
    public IReadOnlyList<string> Needed { get; }

    /// <summary>The DT_RUNPATH string as stored (colon-separated, tokens such as $ORIGIN unexpanded).</summary>
    public string? RunPath { get; }

    /// <summary>The DT_RPATH string as stored (colon-separated, tokens such as $ORIGIN unexpanded).</summary>
    public string? RPath { get; }

    /// <summary>True when the object needs no loader and no libraries (busybox-static, static-pie binaries).</summary>
    public bool IsStatic => Interpreter is null && Needed.Count == 0;

    public static ElfFile Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Read(stream, path);
    }

    /// <param name="stream">A seekable stream over the whole object.</param>
    /// <param name="name">What to call the object in error messages (usually its path).</param>
    public static ElfFile Read(Stream stream, string name)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        var headerBytes = ReadUpTo(stream, header);
        if (HeaderProblem(header[..headerBytes]) is { } problem)
        {
            throw new ElfFormatException(name, problem);
        }

        string? interpreter = null;
        Segment? dynamic = null;
        var segments = ReadSegments(stream, name, header);
        foreach (var segment in segments)
        {
            if (segment.Type == SegmentInterpreter)
            {
                interpreter = ReadInterpreter(stream, name, segment);
            }
            else if (segment.Type == SegmentDynamic)
            {
                dynamic = segment;
            }
        }
        return dynamic is { } found
            ? ReadDynamic(stream, name, interpreter, found, segments)
            : new ElfFile(interpreter, [], null, null);
    }

    /// <summary>
    /// True when the file is an ELF object of the kind this reader (and the host's loader) accepts.
    /// The loader checks this too: it skips a library candidate of the wrong class or machine
    /// (a 32-bit libc in /usr/lib, say) and keeps searching.
    /// </summary>
    public static bool IsSupported(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> header = stackalloc byte[HeaderSize];
            return HeaderProblem(header[..ReadUpTo(stream, header)]) is null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? HeaderProblem(ReadOnlySpan<byte> header)
    {
        if (header.Length < 4 || !header[..4].SequenceEqual("\u007fELF"u8))
        {
            return "it does not start with the ELF magic bytes 7F 45 4C 46";
        }
        if (header.Length < HeaderSize)
        {
            return $"it is {header.Length} bytes long, shorter than a 64-byte ELF header";
        }
        if (header[4] != Class64)
        {
            return header[4] == 1 ? "it is a 32-bit ELF object" : $"its ELF class byte is {header[4]}, not 2 (64-bit)";
        }
        if (header[5] != LittleEndian)
        {
            return "it is a big-endian ELF object";
        }
        var machine = BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
        if (machine != HostMachine.ElfMachine)
        {
            return $"it is built for {MachineName(machine)} (e_machine {machine}), not {HostMachine.Name} ({HostMachine.ElfMachine})";
        }
        var type = BinaryPrimitives.ReadUInt16LittleEndian(header[16..]);
        if (type is not (TypeExecutable or TypeSharedObject))
        {
            return $"its ELF type is {type}; only executables (2) and shared objects (3) can be loaded";
        }
        return null;
    }

    private static string MachineName(ushort machine) => machine switch
    {
        3 => "i386",
        62 => "x86-64",
        8 => "MIPS",
        20 => "PowerPC",
        21 => "PowerPC64",
        22 => "s390",
        40 => "ARM",
        183 => "AArch64",
        243 => "RISC-V",
        258 => "LoongArch",
        _ => "another machine",
    };

    private static Segment[] ReadSegments(Stream stream, string name, ReadOnlySpan<byte> header)
    {
        var tableOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(header[54..]);
        uint count = BinaryPrimitives.ReadUInt16LittleEndian(header[56..]);
        if (count == 0)
        {
            return [];
        }
        if (entrySize != ProgramHeaderSize)
        {
            throw new ElfFormatException(name, $"its program headers are {entrySize} bytes each, not {ProgramHeaderSize}");
        }
        if (count == ProgramHeaderCountInSection0)
        {
            count = ReadExtendedSegmentCount(stream, name, header);
        }

        var table = ReadAt(stream, name, tableOffset, (ulong)count * ProgramHeaderSize, "program header table");
        var segments = new Segment[count];
        for (var i = 0; i < segments.Length; i++)
        {
            var entry = table.AsSpan(i * ProgramHeaderSize, ProgramHeaderSize);
            segments[i] = new Segment(
                Type: BinaryPrimitives.ReadUInt32LittleEndian(entry),
                Offset: BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]),
                VirtualAddress: BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]),
                FileSize: BinaryPrimitives.ReadUInt64LittleEndian(entry[32..]));
        }
        return segments;
    }

    // Objects with 65535 or more program headers keep the real count in section header 0's sh_info.
    private static uint ReadExtendedSegmentCount(Stream stream, string name, ReadOnlySpan<byte> header)
    {
        var sectionTableOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
        var section0 = ReadAt(stream, name, sectionTableOffset, SectionHeaderSize, "section header 0");
        return BinaryPrimitives.ReadUInt32LittleEndian(section0.AsSpan(44));
    }

    private static string ReadInterpreter(Stream stream, string name, Segment segment)
    {
        if (segment.FileSize > MaxInterpreterBytes)
        {
            throw new ElfFormatException(name, $"its PT_INTERP segment is {segment.FileSize} bytes, longer than a path can be");
        }
        var bytes = ReadAt(stream, name, segment.Offset, segment.FileSize, "PT_INTERP segment");
        var end = Array.IndexOf(bytes, (byte)0);
        return Encoding.UTF8.GetString(bytes, 0, end < 0 ? bytes.Length : end);
    }

    private static ElfFile ReadDynamic(Stream stream, string name, string? interpreter, Segment dynamic, Segment[] segments)
    {
        var table = ReadAt(stream, name, dynamic.Offset, dynamic.FileSize, "PT_DYNAMIC segment");
        var neededOffsets = new List<ulong>();
        ulong? stringTableAddress = null, runPathOffset = null, rPathOffset = null;
        ulong stringTableSize = 0;
        for (var at = 0; at + DynamicEntrySize <= table.Length; at += DynamicEntrySize)
        {
            var tag = BinaryPrimitives.ReadInt64LittleEndian(table.AsSpan(at));
            var value = BinaryPrimitives.ReadUInt64LittleEndian(table.AsSpan(at + 8));
            if (tag == TagNull)
            {
                break;
            }
            switch (tag)
            {
                case TagNeeded: neededOffsets.Add(value); break;
                case TagStringTable: stringTableAddress = value; break;
                case TagStringTableSize: stringTableSize = value; break;
                case TagRunPath: runPathOffset = value; break;
                case TagRPath: rPathOffset = value; break;
            }
        }
        if (neededOffsets.Count == 0 && runPathOffset is null && rPathOffset is null)
        {
            return new ElfFile(interpreter, [], null, null);
        }
        if (stringTableAddress is not { } address)
        {
            throw new ElfFormatException(name, "its dynamic section names libraries but has no DT_STRTAB");
        }

        var strings = ReadAt(stream, name, FileOffsetOf(name, address, segments), stringTableSize, "dynamic string table");
        return new ElfFile(
            interpreter,
            neededOffsets.Select(offset => StringAt(name, strings, offset)).ToArray(),
            runPathOffset is { } runPath ? StringAt(name, strings, runPath) : null,
            rPathOffset is { } rPath ? StringAt(name, strings, rPath) : null);
    }

    // Dynamic entries hold virtual addresses; the PT_LOAD segment that maps the address says where it lies in the file.
    private static ulong FileOffsetOf(string name, ulong address, Segment[] segments)
    {
        foreach (var segment in segments)
        {
            if (segment.Type == SegmentLoad && address >= segment.VirtualAddress && address - segment.VirtualAddress < segment.FileSize)
            {
                return segment.Offset + (address - segment.VirtualAddress);
            }
        }
        throw new ElfFormatException(name, $"its DT_STRTAB address 0x{address:x} lies in no PT_LOAD segment");
    }

    private static string StringAt(string name, byte[] strings, ulong offset)
    {
        var end = offset < (ulong)strings.Length ? Array.IndexOf(strings, (byte)0, (int)offset) : -1;
        if (end < 0)
        {
            throw new ElfFormatException(name, $"its dynamic string at offset {offset} is not inside the {strings.Length}-byte string table");
        }
        return Encoding.UTF8.GetString(strings, (int)offset, end - (int)offset);
    }

    private static byte[] ReadAt(Stream stream, string name, ulong offset, ulong length, string what)
    {
        var fileLength = (ulong)stream.Length;
        if (offset > fileLength || length > fileLength - offset)
        {
            throw new ElfFormatException(name, $"its {what} ({length} bytes at offset {offset}) runs past the end of the {fileLength}-byte file");
        }
        if (length > (ulong)Array.MaxLength)
        {
            throw new ElfFormatException(name, $"its {what} claims {length} bytes, more than any loader reads");
        }
        var buffer = new byte[length];
        stream.Position = (long)offset;
        stream.ReadExactly(buffer);
        return buffer;
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        stream.Position = 0;
        return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
    }

    private readonly record struct Segment(uint Type, ulong Offset, ulong VirtualAddress, ulong FileSize);
}
