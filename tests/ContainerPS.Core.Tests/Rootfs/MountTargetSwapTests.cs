using System.Runtime.Versioning;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Rootfs;

namespace ContainerPS.Core.Tests.Rootfs;

/// <summary>
/// A rootfs that two containers share can be changed by one of them while the other is being set up: between the
/// shim planning the mounts and its child making them, a mount target is swapped for a symlink to a host path (runc's
/// CVE-2021-30465 raced exactly this). The swap is made here in that gap, deterministically, and the child's steps must
/// not follow it out of the root.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class MountTargetSwapTests : IDisposable
{
    private const string Secret = "host-secret-cps";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public void An_etc_swapped_for_a_link_to_a_host_directory_is_refused_not_covered_there()
    {
        HostCommand.RequireRoot();
        var (rootfs, victim, state) = Prepare();
        var hosts = Path.Combine(state, "hosts");
        File.WriteAllText(hosts, "127.0.0.1 localhost\n");
        // A busybox rootfs has no /etc/hosts, so the runtime covers /etc with an overlay whose lower layer is the rootfs's /etc.
        var spec = Spec(rootfs, "/bin/cat /etc/secret") with { EtcFiles = [new MountSpec { Source = hosts, Destination = "/etc/hosts" }] };

        var (output, error) = PlanSwapAndRun(spec, state, () => Swap(rootfs, "etc", victim));

        Assert.DoesNotContain(Secret, output);
        Assert.NotNull(error);
        Assert.Contains("etc", error);
        Assert.Equal(["secret"], Directory.GetFileSystemEntries(victim).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void A_bind_target_swapped_for_a_link_to_a_host_directory_is_refused_not_mounted_there()
    {
        HostCommand.RequireRoot();
        var (rootfs, victim, state) = Prepare();
        var data = Directory.CreateDirectory(_temp.Child("data")).FullName;
        File.WriteAllText(Path.Combine(data, "payload"), "volume");
        var spec = Spec(rootfs, "/bin/ls /data") with { Mounts = [new MountSpec { Source = data, Destination = "/data", ReadOnly = true }] };

        var (_, error) = PlanSwapAndRun(spec, state, () => Swap(rootfs, "data", victim));

        Assert.NotNull(error);
        Assert.Contains("/data", error);
    }

    [SkippableFact]
    public void A_target_swapped_for_a_link_inside_the_root_is_followed_there_and_stays_inside()
    {
        HostCommand.RequireRoot();
        var (rootfs, _, state) = Prepare();
        var data = Directory.CreateDirectory(_temp.Child("data")).FullName;
        File.WriteAllText(Path.Combine(data, "payload"), "volume");
        Directory.CreateDirectory(Path.Combine(rootfs, "elsewhere"));
        var spec = Spec(rootfs, "/bin/ls /elsewhere") with { Mounts = [new MountSpec { Source = data, Destination = "/data" }] };

        // An absolute link: before pivot_root the kernel would read it from the host's root, in the root it is /elsewhere.
        var (output, error) = PlanSwapAndRun(spec, state, () => Swap(rootfs, "data", "/elsewhere"));

        Assert.Null(error);
        Assert.Equal("payload\n", output);
    }

    private (string RootFs, string Victim, string State) Prepare()
    {
        var rootfs = RootFsBuilder.CreateBusybox(_temp.Child("rootfs"), HostCommand.RequireBusybox()).Path;
        var victim = Directory.CreateDirectory(_temp.Child("victim")).FullName;
        File.WriteAllText(Path.Combine(victim, "secret"), Secret);
        return (rootfs, victim, Directory.CreateDirectory(_temp.Child("state")).FullName);
    }

    private static ContainerSpec Spec(string rootfs, string command) => new()
    {
        Id = "cps-swap",
        Name = "cps-swap",
        RootFs = rootfs,
        Command = command.Split(' '),
        Namespaces = NamespaceKind.Mnt | NamespaceKind.Pid,
    };

    /// <summary>What a co-tenant does: moves the directory away and leaves a symlink in its place.</summary>
    private static void Swap(string rootfs, string name, string linkTarget)
    {
        Directory.Move(Path.Combine(rootfs, name), Path.Combine(rootfs, name + ".moved"));
        File.CreateSymbolicLink(Path.Combine(rootfs, name), linkTarget);
    }

    /// <summary>
    /// The shim's order: plan the steps (which makes the mount points), then the swap, then a clone child that runs
    /// them up to "ready" (the exec fifo is the shim's business) and execs the command. Returns its output, and the
    /// failed step's error when setup failed.
    /// </summary>
    private static (string Output, string? Error) PlanSwapAndRun(ContainerSpec spec, string state, Action swap)
    {
        using var slots = SetupDescriptors.Reserve();
        var steps = ContainerSetup.Steps(spec, state, slots, fifo: -1).TakeWhile(s => s.Number != SetupStep.ReadyNumber).ToArray();
        swap();
        var (read, write) = Sys.Pipe();
        using var _ = read;
        CloneChild child;
        using (write)
        {
            child = CloneChild.Start(new CloneRequest
            {
                NewNamespaces = spec.Namespaces,
                Executable = spec.Command[0],
                Arguments = spec.Command,
                Environment = [],
                Descriptors = [(1, write), (2, write)],
                Setup = steps,
            });
        }
        string? error = null;
        using (child)
        {
            try
            {
                child.Release();
            }
            catch (NativeException e)
            {
                error = e.Message;
            }
        }
        Sys.Wait(child.Pid, block: true);
        using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(read.DangerousGetHandle(), false), FileAccess.Read);
        return (new StreamReader(stream).ReadToEnd(), error);
    }
}
