using System.Globalization;
using System.Text;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Network;

/// <summary>Link-layer addresses as `ip link` writes them: lower-case hex byte pairs joined by ':'.</summary>
public static class MacAddress
{
    public static string Format(ReadOnlySpan<byte> address)
    {
        var text = new StringBuilder(address.Length * 3);
        foreach (var b in address)
        {
            if (text.Length > 0)
            {
                text.Append(':');
            }
            text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>Parses an Ethernet address for a link; it must be unicast (first byte even) and not all zeros.</summary>
    public static byte[] ParseEthernet(string text)
    {
        var parts = text.Split(':');
        var bytes = new byte[6];
        var wellFormed = parts.Length == 6;
        for (var i = 0; wellFormed && i < 6; i++)
        {
            wellFormed = parts[i].Length == 2 && byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]);
        }
        var problem =
            !wellFormed ? "it is not six hex byte pairs separated by ':'"
            : (bytes[0] & 1) != 0 ? "it is a multicast address (the first byte is odd)"
            : bytes.All(b => b == 0) ? "it is all zeros"
            : null;
        return problem is null
            ? bytes
            : throw new ContainerPSException("InvalidMacAddress", FailureKind.InvalidArgument,
                $"MAC address '{text}' is not valid for a link: {problem}. Expected a unicast Ethernet address like 02:42:ac:11:00:02.", text);
    }
}
