using System.Runtime.InteropServices;

namespace ContainerPS.Core.Network;

/// <summary>struct ifaddrmsg: the fixed header of RTM_*ADDR messages.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InterfaceAddressMessage
{
    public byte Family;
    public byte PrefixLength;
    /// <summary>The low 8 IFA_F_* flags; IFA_FLAGS carries all of them.</summary>
    public byte Flags;
    public byte Scope;
    public int Index;
}
