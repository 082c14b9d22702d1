namespace ContainerPS.Core.Tests.Namespaces;

/// <summary>
/// The .text section of a 64-bit little-endian ELF object, read from its section headers: all an assembled
/// trampoline is, without depending on which objcopy the host has.
/// </summary>
internal static class ElfTextSection
{
    public static byte[] Read(string objectFile)
    {
        var elf = File.ReadAllBytes(objectFile);
        Assert.True(elf.Length > 64 && elf[0] == 0x7f && elf[1] == 'E' && elf[2] == 'L' && elf[3] == 'F' && elf[4] == 2 && elf[5] == 1,
            $"{objectFile} is not a 64-bit little-endian ELF object");
        var sectionTable = (int)BitConverter.ToUInt64(elf, 0x28); // e_shoff
        var entrySize = BitConverter.ToUInt16(elf, 0x3a);       // e_shentsize
        var count = BitConverter.ToUInt16(elf, 0x3c);           // e_shnum
        var namesIndex = BitConverter.ToUInt16(elf, 0x3e);      // e_shstrndx
        (int Offset, int Size) Section(int index)
        {
            var header = sectionTable + index * entrySize;
            return ((int)BitConverter.ToUInt64(elf, header + 0x18), (int)BitConverter.ToUInt64(elf, header + 0x20)); // sh_offset, sh_size
        }
        var names = Section(namesIndex);
        for (var i = 0; i < count; i++)
        {
            var nameOffset = names.Offset + (int)BitConverter.ToUInt32(elf, sectionTable + i * entrySize); // sh_name
            var end = Array.IndexOf(elf, (byte)0, nameOffset);
            if (System.Text.Encoding.ASCII.GetString(elf, nameOffset, end - nameOffset) == ".text")
            {
                var (offset, size) = Section(i);
                return elf[offset..(offset + size)];
            }
        }
        throw new InvalidDataException($"{objectFile} has no .text section");
    }
}
