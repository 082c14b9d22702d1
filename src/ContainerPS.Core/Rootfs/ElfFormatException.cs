using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// A file that is not an ELF object the rootfs builder can read: not ELF at all, or ELF for another
/// class, byte order or machine, or one whose headers point outside the file.
/// </summary>
public sealed class ElfFormatException : ContainerPSException
{
    public ElfFormatException(string path, string problem)
        : base("NotAnElfProgram", FailureKind.InvalidArgument, $"'{path}' is not a readable ELF object: {problem}. " +
               $"ContainerPS reads 64-bit little-endian {HostMachine.Name} executables and shared libraries (the host's machine).", path)
    {
        Path = path;
    }

    /// <summary>The file that was read.</summary>
    public string Path { get; }
}
