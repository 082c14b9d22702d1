namespace ContainerPS.Core.Network;

/// <summary>RT_SCOPE_* of an address or route: how far from this host it is valid ("global", "link", "host").</summary>
public enum NetworkScope : byte
{
    Global = 0,
    Site = 200,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}
