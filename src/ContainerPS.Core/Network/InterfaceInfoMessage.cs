using System.Runtime.InteropServices;

namespace ContainerPS.Core.Network;

/// <summary>struct ifinfomsg: the fixed header of RTM_*LINK messages, and of a veth peer's description.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct InterfaceInfoMessage
{
    [FieldOffset(0)] public byte Family;
    [FieldOffset(2)] public ushort DeviceType;
    [FieldOffset(4)] public int Index;
    /// <summary>IFF_* flags to set...</summary>
    [FieldOffset(8)] public uint Flags;
    /// <summary>...and which of them to change; the rest are left as they are.</summary>
    [FieldOffset(12)] public uint Change;
}
