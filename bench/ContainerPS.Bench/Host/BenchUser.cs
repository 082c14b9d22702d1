using ContainerPS.Bench.Peers;

namespace ContainerPS.Bench.Host;

/// <summary>
/// A user other than root for the rootless rows, made for the run and removed after with every process it has: a
/// system user, a home and a runtime directory of its own under the work directory, a copy of the busybox rootfs it
/// owns, and a copy of this pwsh it can read (the PowerShell tool lives under /root). An earlier run's user, if an
/// interrupted run left one, is removed first.
/// </summary>
public sealed class BenchUser : IDisposable
{
    public const string Name = BenchContext.Prefix + "user";

    private readonly PeerRunner _host;

    public BenchUser(PeerRunner host, string workDir, string rootfs, string psHome)
    {
        _host = host;
        Remove(host);
        Dir = Path.Combine(workDir, "user");
        Home = Path.Combine(Dir, "home");
        RuntimeDir = Path.Combine(Dir, "run");
        RootFs = Path.Combine(Dir, "rootfs");
        Pwsh = Path.Combine(Dir, "pwsh", "pwsh.dll");
        host.Require(host.Exit("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", Name) == 0, $"useradd {Name} failed");
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(RuntimeDir);
        host.Require(host.Exit("cp", "-a", rootfs, RootFs) == 0, "copying the rootfs for the user failed");
        host.Require(host.Exit("cp", "-r", psHome, Path.Combine(Dir, "pwsh")) == 0, $"copying {psHome} for the user failed");
        host.Require(host.Exit("chown", "-R", $"{Name}:{Name}", Home, RuntimeDir, RootFs) == 0, "chown for the user failed");
        host.Require(host.Exit("chmod", "0700", RuntimeDir) == 0, "chmod of the runtime directory failed");
        host.Require(host.Exit("chmod", "0755", Dir, workDir) == 0, "chmod of the work directory failed");
    }

    public string Dir { get; }
    public string Home { get; }
    public string RuntimeDir { get; }
    public string RootFs { get; }

    /// <summary>pwsh.dll of the copy, for `dotnet PWSH`.</summary>
    public string Pwsh { get; }

    /// <summary>The environment its processes get: nothing of the bench's but what it needs.</summary>
    public string[] Environment => [$"HOME={Home}", $"XDG_RUNTIME_DIR={RuntimeDir}", "PATH=/usr/bin:/bin:/usr/sbin:/sbin", "POWERSHELL_TELEMETRY_OPTOUT=1"];

    /// <summary>argv prefix that runs a command as the user with <see cref="Environment"/>.</summary>
    public string[] As => ["setpriv", $"--reuid={Name}", $"--regid={Name}", "--clear-groups", "env", "-i", .. Environment];

    public void Dispose() => Remove(_host);

    private static void Remove(PeerRunner host)
    {
        if (host.Exit("id", "-u", Name) != 0)
        {
            return;
        }
        host.Exit("pkill", "-KILL", "-u", Name);
        host.Exit("userdel", Name);
    }
}
