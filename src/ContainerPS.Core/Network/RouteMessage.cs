using System.Runtime.InteropServices;

namespace ContainerPS.Core.Network;

/// <summary>struct rtmsg: the fixed header of RTM_*ROUTE messages.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RouteMessage
{
    public const byte MainTable = 254; // RT_TABLE_MAIN
    public const uint Cloned = 0x200; // RTM_F_CLONED: a cache entry, not a configured route

    public byte Family;
    public byte DestinationLength;
    public byte SourceLength;
    public byte Tos;
    public byte Table;
    public byte Protocol;
    public byte Scope;
    public byte Type;
    public uint Flags;
}
