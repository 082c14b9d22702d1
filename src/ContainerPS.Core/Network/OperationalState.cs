namespace ContainerPS.Core.Network;

/// <summary>IF_OPER_* (RFC 2863): what `ip link` shows as "state UP", "state LOWERLAYERDOWN".</summary>
public enum OperationalState : byte
{
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}
