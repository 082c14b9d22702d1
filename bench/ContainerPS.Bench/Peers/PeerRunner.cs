using System.Diagnostics;
using System.Text.Json;

namespace ContainerPS.Bench.Peers;

/// <summary>
/// The bench's side of a runner process (<see cref="RunnerLoop"/>): every peer command is started and timed by a
/// runner, so all peers pay the same process-start cost, and crun's runner lives in a mount namespace without
/// the cgroup2 tree that was entered once, before any timing.
/// </summary>
public sealed class PeerRunner : IDisposable
{
    private readonly Process _process;
    private readonly string _log;

    private PeerRunner(string name, string log, string executable, params string[] arguments)
    {
        Name = name;
        _log = log;
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start)!;
    }

    public string Name { get; }

    /// <summary>A runner in the bench's own namespaces, for runc, util-linux and iproute2.</summary>
    public static PeerRunner OnHost(string log) =>
        new("host", log, "sh", "-c", Handover, SelfPath, log);

    /// <summary>
    /// A runner for crun 1.8, which refuses this hybrid cgroup host ("cgroups in hybrid mode not supported"): a private
    /// mount namespace where the cgroup2 tree is unmounted; the host's mounts are untouched. Where there is no such tree, nothing to unmount.
    /// </summary>
    public static PeerRunner WithoutCgroup2(string log) =>
        new("crun namespace", log, "unshare", "-m", "sh", "-c",
            "{ ! mountpoint -q /sys/fs/cgroup/unified || umount /sys/fs/cgroup/unified; } && " + Handover, SelfPath, log);

    /// <summary>A runner as a user other than root (<paramref name="asUser"/>: the setpriv and env argv), for rootless podman.</summary>
    public static PeerRunner AsUser(string[] asUser, string log) =>
        new("rootless", log, asUser[0], [.. asUser[1..], "sh", "-c", Handover, SelfPath, log]);

    /// <summary>Runs the batch's commands together; the wall time runs from the first start to the last exit.</summary>
    public RunnerResponse Batch(IReadOnlyCollection<string[]> commands)
    {
        _process.StandardInput.WriteLine(JsonSerializer.Serialize(new RunnerRequest(commands.ToArray())));
        var line = _process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException($"The {Name} runner exited ({LogTail()}).");
        var response = JsonSerializer.Deserialize<RunnerResponse>(line)!;
        if (response.Error is not null)
        {
            throw new InvalidOperationException($"The {Name} runner could not start {response.Error}");
        }
        return response;
    }

    /// <summary>The command's exit code; for set-up, checks and clean-up, where a failure is an answer.</summary>
    public int Exit(params string[] argv) => Batch([argv]).ExitCodes[0];

    /// <summary>Milliseconds from start to exit; a non-zero exit fails the case, since then the work was not done.</summary>
    public double Time(params string[] argv)
    {
        var response = Batch([argv]);
        Require(response.ExitCodes[0] == 0, $"'{string.Join(' ', argv)}' exited with {response.ExitCodes[0]}");
        return response.WallMs;
    }

    public void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{what} (runner log: {LogTail()})");
        }
    }

    public void Dispose()
    {
        _process.StandardInput.Close(); // the runner stops at the end of its requests
        _process.WaitForExit();
        _process.Dispose();
    }

    /// <summary>The shell moves the request/response pipes to fds 3 and 4 and gives the runner /dev/null and a log as stdio.</summary>
    private const string Handover = "exec \"$0\" runner 3<&0 4>&1 </dev/null >/dev/null 2>>\"$1\"";

    private static string SelfPath => Path.Combine(AppContext.BaseDirectory, "ContainerPS.Bench");

    private string LogTail()
    {
        var text = File.Exists(_log) ? File.ReadAllText(_log).Trim() : "";
        return text.Length == 0 ? "empty" : text[Math.Max(0, text.Length - 400)..];
    }
}
