using System.Diagnostics;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>The nft program (Debian package nftables), which loads a whole ruleset script in one atomic transaction.</summary>
internal static class NftCommand
{
    public static string Path =>
        Processes.HostProgram.Find("nft")
        ?? throw new ContainerPSException("NftablesMissing", FailureKind.ResourceUnavailable,
            "Container networks need the nft program for their NAT rules, and it is not installed. Install it (apt-get install nftables).", "nft");

    /// <summary>Runs `nft -f -` with <paramref name="script"/> on stdin: all of it applies, or none of it.</summary>
    public static void Load(string script)
    {
        var start = new ProcessStartInfo(Path, ["-f", "-"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var nft = Process.Start(start)!;
        var error = nft.StandardError.ReadToEndAsync();
        var output = nft.StandardOutput.ReadToEndAsync();
        nft.StandardInput.Write(script);
        nft.StandardInput.Close();
        nft.WaitForExit();
        if (nft.ExitCode != 0)
        {
            throw new ContainerPSException("NftablesFailed", FailureKind.InvalidOperation,
                $"nft refused the container networks' NAT table (exit {nft.ExitCode}): {error.Result.Trim()} {output.Result.Trim()}".Trim(), "nft");
        }
    }
}
