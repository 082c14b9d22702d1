using System.Text.Json;
using ContainerPS.Core.Tests.Rootfs;

namespace ContainerPS.Core.Tests.Network;

/// <summary>iproute2 as the independent witness: what `ip -j` reports, parsed, and the commands cleanup uses.</summary>
internal static class Ip
{
    public static void Require() => Skip.IfNot(HostCommand.Exists("ip"), "needs iproute2 (ip) to check against and to clean up");

    /// <summary>`ip -j ARGS` as a JSON array.</summary>
    public static JsonElement Json(params string[] arguments)
    {
        var output = Run(["-j", .. arguments]);
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(output) ? "[]" : output);
        return document.RootElement.Clone();
    }

    public static string Run(params string[] arguments)
    {
        var (exitCode, output, error) = HostCommand.Run("ip", arguments);
        Assert.True(exitCode == 0, $"ip {string.Join(' ', arguments)} exited {exitCode}: {error}");
        return output;
    }

    /// <summary>For cleanup: runs and ignores failure (the object may already be gone).</summary>
    public static void TryRun(params string[] arguments) => HostCommand.Run("ip", arguments);

    /// <summary>One ICMP echo with a one-second wait: true when it came back.</summary>
    public static bool Ping(string address)
    {
        var (program, arguments) = HostCommand.Exists("ping")
            ? ("ping", new[] { "-c1", "-W1", address })
            : ("busybox", new[] { "ping", "-c1", "-W1", address });
        Skip.IfNot(HostCommand.Exists(program), "needs ping (iputils-ping or busybox) to prove traffic");
        return HostCommand.Run(program, arguments).ExitCode == 0;
    }
}
