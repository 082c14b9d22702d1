using ContainerPS.Bench.Peers;

namespace ContainerPS.Bench.Host;

/// <summary>The bench's rootfs as a one-layer OCI image (umoci: init, new, unpack, copy in, repack), tagged latest.</summary>
public static class UmociImage
{
    /// <returns>The image as skopeo and umoci name it: oci:LAYOUT:latest.</returns>
    public static string Make(PeerRunner runner, string rootfs, string dir)
    {
        var layout = Path.Combine(dir, "layout");
        var bundle = Path.Combine(dir, "bundle");
        var steps = new[]
        {
            new[] { "umoci", "init", "--layout", layout },
            ["umoci", "new", "--image", layout + ":latest"],
            ["umoci", "unpack", "--image", layout + ":latest", bundle],
            ["sh", "-c", $"cp -a '{rootfs}/.' '{bundle}/rootfs/'"],
            ["umoci", "repack", "--image", layout + ":latest", bundle],
        };
        foreach (var step in steps)
        {
            runner.Require(runner.Exit(step) == 0, $"'{string.Join(' ', step)}' failed");
        }
        return $"oci:{layout}:latest";
    }
}
