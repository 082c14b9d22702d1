using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Core.Interop;

/// <summary>An owned file descriptor; closed exactly once, by its owner.</summary>
public sealed class SafeFd : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeFd(int fd) : base(ownsHandle: true) => SetHandle(fd);

    public int Value => (int)handle;

    protected override bool ReleaseHandle() => Tmds.Linux.LibC.close((int)handle) == 0;
}
