using System.Runtime.InteropServices;

namespace ContainerPS.Core.Interop;

/// <summary>
/// An owned file descriptor; closed exactly once, by its owner. Only -1 is invalid: 0 is a descriptor like any other
/// (a shim whose stdin was closed gets 0 from its next open), so SafeHandleZeroOrMinusOneIsInvalid would leak it.
/// </summary>
public sealed class SafeFd : SafeHandle
{
    public SafeFd(int fd, bool ownsHandle = true) : base(invalidHandleValue: -1, ownsHandle) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    public int Value => (int)handle;

    protected override bool ReleaseHandle() => Tmds.Linux.LibC.close((int)handle) == 0;
}
