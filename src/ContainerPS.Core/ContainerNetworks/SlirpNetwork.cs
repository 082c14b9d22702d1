using System.Globalization;
using System.Text;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Processes;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>
/// -Network slirp4netns: the container's network namespace is joined to the host by slirp4netns, a user-mode TCP/IP
/// stack (rootless podman's default), so a user other than root gets outbound traffic and published ports with no
/// bridge, veth or NAT rule in the host's namespace. slirp4netns configures tap0 there (10.0.2.100/24, gateway
/// 10.0.2.2, DNS 10.0.2.3) and forwards each -Publish port from the host to 10.0.2.100. The host's loopback is not
/// reachable from inside (--disable-host-loopback), as podman has it.
/// <para>
/// The shim starts it once the container's process exists, waits for its ready mark, and holds a pipe whose other end
/// slirp4netns watches (--exit-fd): when the shim exits, however it ends, slirp4netns follows.
/// </para>
/// </summary>
public static class SlirpNetwork
{
    private const string Program = "slirp4netns", Tun = "/dev/net/tun";

    /// <summary>The container's address on tap0, and slirp4netns's DNS forwarder, as --configure sets them.</summary>
    public const string Address = "10.0.2.100", Nameserver = "10.0.2.3";
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The program's path; throws when it is not installed, or when this user may not open /dev/net/tun, where
    /// slirp4netns makes its tap device (distributions ship it mode 0666; some hosts keep it root's).
    /// </summary>
    public static string RequireProgram()
    {
        var program = HostProgram.Find(Program)
            ?? throw new ContainerPSException("Slirp4netnsMissing", FailureKind.ResourceUnavailable,
                "-Network slirp4netns needs the slirp4netns program, which is not installed (apt-get install slirp4netns).", Program);
        if (!Sys.CanWrite(Tun))
        {
            var state = File.Exists(Tun) ? $"it is mode {Convert.ToString((int)File.GetUnixFileMode(Tun), 8)} here" : "it does not exist here (modprobe tun)";
            throw new ContainerPSException("TunDeviceDenied", FailureKind.PermissionDenied,
                $"-Network slirp4netns needs {Tun} readable and writable by uid {Sys.EffectiveUid}, and {state}. Distributions ship it mode 0666: chmod 0666 {Tun} as root, or use -Network none.", Tun);
        }
        return program;
    }

    /// <summary>
    /// Starts slirp4netns for the network namespace of <paramref name="pid"/>, waits until tap0 is configured, and
    /// publishes <paramref name="ports"/>. Disposing what it returns ends it (so does our exit, whatever the cause).
    /// Its messages go to <paramref name="log"/> (the shim's log).
    /// </summary>
    public static IDisposable Start(int pid, string stateDir, IReadOnlyList<PublishedPort> ports, SafeFd log)
    {
        var program = RequireProgram();
        // A socket's path must fit in 108 bytes, and <state dir>/slirp4netns.sock under $XDG_RUNTIME_DIR need not: it
        // is made relative to slirp4netns's working directory, the state directory, and reached through a descriptor
        // of that directory (its /proc cwd would not do: the sandbox moves it).
        const string Socket = "slirp4netns.sock";
        using var directory = Sys.Open(stateDir, Tmds.Linux.LibC.O_PATH | Tmds.Linux.LibC.O_DIRECTORY);
        var (exitRead, lifeline) = Sys.Pipe();
        var (readyRead, readyWrite) = Sys.Pipe();
        var child = 0;
        try
        {
            using (readyRead)
            {
                using (var devNull = Sys.Open("/dev/null", Tmds.Linux.LibC.O_RDWR))
                using (exitRead)
                using (readyWrite)
                {
                    child = VforkSpawn.Start(new CloneRequest
                    {
                        Executable = program,
                        // The sandbox (its own mount namespace, capabilities dropped) and the seccomp filter confine what
                        // parses the container's traffic, as podman runs it.
                        Arguments = [program, "--configure", "--mtu=65520", "--disable-host-loopback", "--enable-sandbox", "--enable-seccomp",
                            "--exit-fd=3", "--ready-fd=4", $"--api-socket={Socket}", pid.ToString(CultureInfo.InvariantCulture), "tap0"],
                        Environment = [],
                        WorkingDirectory = stateDir,
                        Descriptors = [(0, devNull), (1, log), (2, log), (3, exitRead), (4, readyWrite)],
                    });
                }
                AwaitReady(readyRead, pid, Path.Combine(stateDir, "shim.log"));
            }
            foreach (var port in ports)
            {
                Publish($"/proc/self/fd/{directory.Value}/{Socket}", port);
            }
            return new Running(child, lifeline);
        }
        catch
        {
            lifeline.Dispose();
            if (child > 0)
            {
                Sys.TryKill(child, 9);
                Sys.Wait(child, block: true);
            }
            throw;
        }
    }

    /// <summary>A started slirp4netns: closing its lifeline ends it, and it is reaped here rather than left to init.</summary>
    private sealed class Running(int pid, SafeFd lifeline) : IDisposable
    {
        public void Dispose()
        {
            lifeline.Dispose();
            using (var pidfd = Sys.TryOpenPidfd(pid))
            {
                // It ends as soon as it sees the lifeline close; one that does not within 2 s is killed.
                if (pidfd is not null && !Sys.PollReadable(pidfd, 2000))
                {
                    Sys.TryKill(pid, 9);
                }
            }
            Sys.Wait(pid, block: true);
        }
    }

    /// <summary>
    /// slirp4netns writes "1" on the ready descriptor once tap0 is up; end-of-file first means it gave up, and what it
    /// said goes into the error, since a failed create removes the log with the rest.
    /// </summary>
    private static void AwaitReady(SafeFd ready, int pid, string log)
    {
        Span<byte> mark = stackalloc byte[1];
        if (!Sys.PollReadable(ready, (int)ReadyWithin.TotalMilliseconds) || Sys.Read(ready, mark) != 1)
        {
            var said = File.Exists(log) ? string.Join(" ", File.ReadLines(log).TakeLast(3)) : "";
            throw new ContainerPSException("Slirp4netnsFailed", FailureKind.InvalidOperation,
                $"slirp4netns did not configure the network namespace of process {pid} within {ReadyWithin.TotalSeconds:0} s{(said.Length > 0 ? $": {said}" : "")}.", pid);
        }
    }

    /// <summary>Asks slirp4netns, through its API socket, to forward a host port to the container's address.</summary>
    private static void Publish(string socketPath, PublishedPort port)
    {
        using var socket = Sys.ConnectUnix(socketPath);
        var request = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"execute": "add_hostfwd", "arguments": {"proto": "{{{port.Protocol.ToString().ToLowerInvariant()}}}", "host_addr": "0.0.0.0", "host_port": {{{port.HostPort}}}, "guest_port": {{{port.ContainerPort}}}}}""");
        var bytes = Encoding.ASCII.GetBytes(request);
        for (var sent = 0; sent < bytes.Length;)
        {
            sent += Sys.Write(socket, bytes.AsSpan(sent), socketPath);
        }
        Sys.ShutdownWrite(socket);
        var reply = new StringBuilder();
        var buffer = new byte[512];
        int n;
        while ((n = Sys.Read(socket, buffer)) > 0)
        {
            reply.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        if (!reply.ToString().Contains("\"return\"", StringComparison.Ordinal))
        {
            throw new ContainerPSException("PublishFailed", FailureKind.InvalidOperation,
                $"slirp4netns could not publish {port}: {reply.ToString().Trim()}. Another process may hold host port {port.HostPort}.", port.ToString());
        }
    }
}
