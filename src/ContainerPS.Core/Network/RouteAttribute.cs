namespace ContainerPS.Core.Network;

/// <summary>RTA_* attribute types of RTM_*ROUTE messages.</summary>
internal static class RouteAttribute
{
    public const ushort Destination = 1, OutputInterface = 4, Gateway = 5, Priority = 6, PreferredSource = 7, Table = 15;
}
