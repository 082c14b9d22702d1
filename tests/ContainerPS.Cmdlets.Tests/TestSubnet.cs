namespace ContainerPS.Cmdlets.Tests;

/// <summary>
/// 10.x.y.0/24 subnets for the tests' own networks and namespaces: random, so runs that overlap in time do not
/// collide, and never one that an address or route of the host touches.
/// </summary>
internal static class TestSubnet
{
    private static readonly HashSet<string> Given = [];

    /// <summary>The first three octets, "10.x.y", of a free /24.</summary>
    public static string Next()
    {
        var host = HostTool.Check("ip", "-4", "-o", "addr") + HostTool.Check("ip", "-4", "route", "show", "table", "all");
        while (true)
        {
            var prefix = $"10.{Random.Shared.Next(150, 200)}.{Random.Shared.Next(0, 250)}";
            if (!host.Contains(prefix + ".", StringComparison.Ordinal) && Given.Add(prefix))
            {
                return prefix;
            }
        }
    }
}
