using System.Runtime.Versioning;
using ContainerPS.Core.Rootfs;

namespace ContainerPS.Core.Tests.Rootfs;

[SupportedOSPlatform("linux")] // Core is Linux-only; this test assembly is not marked so
public class ElfFileTests
{
    [Fact]
    public void Elf_reader_finds_bash_interpreter_and_libraries()
    {
        var bash = ElfFile.Read("/bin/bash");

        Assert.Equal("/lib64/ld-linux-x86-64.so.2", bash.Interpreter);
        Assert.Contains("libc.so.6", bash.Needed);
        Assert.False(bash.IsStatic);
        if (HostCommand.Exists("ldd"))
        {
            var ldd = LddOutput.Of("/bin/bash");
            Assert.Equal(ldd.Interpreter, bash.Interpreter);
            // ldd lists the whole closure; every direct need is in it.
            Assert.All(bash.Needed, needed => Assert.Contains(needed, ldd.Libraries.Keys));
        }
    }

    [SkippableFact]
    public void Elf_reader_sees_busybox_static_as_static()
    {
        var busybox = ElfFile.Read(HostCommand.RequireBusybox());
        Skip.IfNot(busybox.IsStatic, "/bin/busybox is the dynamically linked busybox package, not busybox-static");

        Assert.Null(busybox.Interpreter);
        Assert.Empty(busybox.Needed);
        Assert.Null(busybox.RunPath);
        Assert.Null(busybox.RPath);
    }

    [Fact]
    public void Elf_reader_refuses_a_text_file_naming_it_and_the_problem()
    {
        var error = Assert.Throws<ElfFormatException>(() => ElfFile.Read("/etc/passwd"));

        Assert.Equal("/etc/passwd", error.Path);
        Assert.Contains("'/etc/passwd'", error.Message);
        Assert.Contains("ELF magic", error.Message);
        Assert.Contains("x86-64", error.Message);
    }

    [Theory]
    [InlineData(1, 1, 62, "32-bit")]
    [InlineData(2, 2, 62, "big-endian")]
    [InlineData(2, 1, 183, "AArch64 (e_machine 183)")]
    public void Elf_reader_refuses_other_classes_byte_orders_and_machines(byte elfClass, byte byteOrder, ushort machine, string problem)
    {
        var header = ElfHeader(elfClass, byteOrder, machine);

        var error = Assert.Throws<ElfFormatException>(() => ElfFile.Read(new MemoryStream(header), "test.so"));

        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Elf_reader_refuses_program_headers_past_the_end_of_the_file()
    {
        var header = ElfHeader(2, 1, 62);
        BitConverter.TryWriteBytes(header.AsSpan(32), 4096UL); // e_phoff
        BitConverter.TryWriteBytes(header.AsSpan(54), (ushort)56); // e_phentsize
        BitConverter.TryWriteBytes(header.AsSpan(56), (ushort)3); // e_phnum

        var error = Assert.Throws<ElfFormatException>(() => ElfFile.Read(new MemoryStream(header), "truncated"));

        Assert.Contains("program header table", error.Message);
        Assert.Contains("past the end", error.Message);
    }

    [Fact]
    public void Elf_reader_reads_a_header_without_program_headers_as_static()
    {
        var elf = ElfFile.Read(new MemoryStream(ElfHeader(2, 1, 62)), "bare");

        Assert.True(elf.IsStatic);
    }

    // A 64-byte ELF header of a shared object (ET_DYN) with no program headers.
    private static byte[] ElfHeader(byte elfClass, byte byteOrder, ushort machine)
    {
        var header = new byte[64];
        "\u007fELF"u8.CopyTo(header);
        header[4] = elfClass;
        header[5] = byteOrder;
        header[6] = 1;
        BitConverter.TryWriteBytes(header.AsSpan(16), (ushort)3);
        BitConverter.TryWriteBytes(header.AsSpan(18), machine);
        return header;
    }
}
