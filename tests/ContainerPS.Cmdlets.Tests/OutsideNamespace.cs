using System.Diagnostics;

namespace ContainerPS.Cmdlets.Tests;

/// <summary>
/// "The outside" for NAT tests: a network namespace (ip netns add cps-...) joined to the host by a veth, host end
/// 10.x.y.1, far end 10.x.y.2, where busybox httpd serves a CGI script that answers with the peer address it sees,
/// so a test can tell which source address arrived. Everything goes on Dispose, also after a half-made start.
/// </summary>
internal sealed class OutsideNamespace : IDisposable
{
    private const int Port = 8000;
    private readonly string _www = Path.Combine(Path.GetTempPath(), "cps-test-www-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _httpd;

    public OutsideNamespace(string tag)
    {
        Name = $"cps-{tag}o";
        HostLink = $"cps-{tag}x";
        var subnet = TestSubnet.Next();
        HostAddress = subnet + ".1";
        Address = subnet + ".2";
        try
        {
            HostTool.Check("ip", "netns", "add", Name);
            HostTool.Check("ip", "link", "add", HostLink, "type", "veth", "peer", "name", "eth0", "netns", Name);
            HostTool.Check("ip", "addr", "add", HostAddress + "/24", "dev", HostLink);
            HostTool.Check("ip", "link", "set", HostLink, "up");
            HostTool.Check("ip", "-n", Name, "addr", "add", Address + "/24", "dev", "eth0");
            HostTool.Check("ip", "-n", Name, "link", "set", "eth0", "up");
            HostTool.Check("ip", "-n", Name, "link", "set", "lo", "up");
            Directory.CreateDirectory(Path.Combine(_www, "cgi-bin"));
            var script = Path.Combine(_www, "cgi-bin", "peer");
            File.WriteAllText(script, "#!/bin/sh\necho Content-Type: text/plain\necho\necho \"$REMOTE_ADDR\"\n");
            HostTool.Check("chmod", "755", script); // httpd runs only executable CGI scripts
            _httpd = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", Name, "busybox", "httpd", "-f", "-p", $"{Address}:{Port}", "-h", _www])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }
    public string HostLink { get; }

    /// <summary>The host's end: the address a masqueraded packet leaving the host this way carries.</summary>
    public string HostAddress { get; }

    public string Address { get; }

    /// <summary>Answers with the source address of the request as the outside namespace saw it.</summary>
    public string PeerUrl => $"http://{Address}:{Port}/cgi-bin/peer";

    public void Dispose()
    {
        if (_httpd is not null)
        {
            if (!_httpd.HasExited)
            {
                _httpd.Kill(entireProcessTree: true);
            }
            _httpd.WaitForExit();
            _httpd.Dispose();
        }
        // The namespace takes its end of the veth along, and a veth never outlives its peer.
        HostTool.Run("ip", "netns", "del", Name);
        if (Directory.Exists($"/sys/class/net/{HostLink}"))
        {
            HostTool.Run("ip", "link", "del", HostLink);
        }
        if (Directory.Exists(_www))
        {
            Directory.Delete(_www, recursive: true);
        }
    }
}
