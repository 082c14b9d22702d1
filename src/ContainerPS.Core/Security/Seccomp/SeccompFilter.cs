namespace ContainerPS.Core.Security.Seccomp;

/// <summary>A compiled profile: the program seccomp(SECCOMP_SET_MODE_FILTER) installs, and the names it skipped.</summary>
/// <param name="IgnoredNames">Names x86-64 has no call for (chown32, mmap2, a misspelling): left out, as Docker leaves them out.</param>
public sealed record SeccompFilter(SockFilter[] Instructions, string[] IgnoredNames)
{
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
