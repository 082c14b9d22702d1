namespace ContainerPS.Core.Network;

/// <summary>IFA_* attribute types of RTM_*ADDR messages.</summary>
internal static class AddressAttribute
{
    /// <summary>IFA_ADDRESS is the peer on point-to-point links and the address itself elsewhere; IFA_LOCAL is always the local one.</summary>
    public const ushort Address = 1, Local = 2, Label = 3, Flags = 8;
}
