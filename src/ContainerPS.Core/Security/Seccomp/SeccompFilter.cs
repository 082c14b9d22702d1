namespace ContainerPS.Core.Security.Seccomp;

/// <summary>A compiled profile: the program seccomp(SECCOMP_SET_MODE_FILTER) installs, and the names it skipped.</summary>
/// <param name="IgnoredNames">Names the running architecture has no call for (chown32 and mmap2 on x86-64, a misspelling): left out, as Docker leaves them out.</param>
public sealed record SeccompFilter(SockFilter[] Instructions, string[] IgnoredNames)
{
    /// <summary>A program kept as <see cref="ToBytes"/> wrote it; null when the bytes cannot be one.</summary>
    public static SeccompFilter? FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0 || bytes.Length % 8 != 0)
        {
            return null;
        }
        var instructions = new SockFilter[bytes.Length / 8];
        for (var i = 0; i < instructions.Length; i++)
        {
            var row = bytes.Slice(i * 8, 8);
            instructions[i] = new SockFilter(BitConverter.ToUInt16(row), row[2], row[3], BitConverter.ToUInt32(row[4..]));
        }
        return new SeccompFilter(instructions, []);
    }

    /// <summary>The instructions as struct sock_filter[] bytes, for the clone child's memory.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Instructions.Length * 8];
        for (var i = 0; i < Instructions.Length; i++)
        {
            var (code, jt, jf, k) = Instructions[i];
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), code);
            bytes[i * 8 + 2] = jt;
            bytes[i * 8 + 3] = jf;
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8 + 4), k);
        }
        return bytes;
    }
}
