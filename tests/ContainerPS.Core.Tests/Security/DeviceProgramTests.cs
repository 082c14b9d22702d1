using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Tests.Security;

/// <summary>
/// The cgroup2 device program, attached to a group in this host's cgroup2 tree only (no v1 devices files), so what a
/// process in it may open and mknod is the program's answer alone.
/// </summary>
[Collection(WholeProcessTests.Name)]
public class DeviceProgramTests
{
    // Each line tries one thing on the host's nodes, or a scratch directory for mknod, and says how it went. No
    // stderr: it would be /dev/null, which is one of the nodes tried.
    private const string Probe = """
        try() { if ( eval "$2" ); then echo "$1 ok"; else echo "$1 denied"; fi; }
        d=$(mktemp -d /tmp/cps-devprog.XXXXXX)
        try 'read null' ': < /dev/null'
        try 'write null' 'echo x > /dev/null'
        try 'read kmsg' ': < /dev/kmsg'
        try 'mknod c 1:3' "mknod $d/c c 1 3"
        try 'mknod b 8:0' "mknod $d/b b 8 0"
        rm -rf "$d"
        """;

    [SkippableFact]
    public void A_process_in_the_group_may_do_only_what_a_rule_allows()
    {
        var seen = RunInGroup([new DeviceRule(DeviceType.Char, 1, 3, DeviceAccess.Read | DeviceAccess.Mknod)]);
        Assert.Equal(["read null ok", "write null denied", "read kmsg denied", "mknod c 1:3 ok", "mknod b 8:0 denied"], seen);
    }

    [SkippableFact]
    public void A_rule_without_a_minor_allows_every_minor_of_its_major()
    {
        var seen = RunInGroup([new DeviceRule(DeviceType.Char, 1, null, DeviceAccess.Read)]);
        Assert.Equal(["read null ok", "write null denied", "read kmsg ok", "mknod c 1:3 denied", "mknod b 8:0 denied"], seen);
    }

    [Fact]
    public void The_program_is_the_prologue_one_block_per_rule_and_a_closing_deny()
    {
        // 6 prologue lines; a rule: type test, access mask (2 lines) and test, a test per number given, allow (2 lines); deny (2 lines).
        Assert.Equal((6 + 8 + 2) * 8, DeviceProgram.Assemble([new DeviceRule(DeviceType.Char, 1, 3, DeviceAccess.All)]).Length);
        Assert.Equal((6 + 7 + 2) * 8, DeviceProgram.Assemble([new DeviceRule(DeviceType.Char, 136, null, DeviceAccess.All)]).Length);
        Assert.Equal((6 + 2) * 8, DeviceProgram.Assemble([]).Length);
    }

    private static string[] RunInGroup(IReadOnlyList<DeviceRule> allowed)
    {
        RootOnly.Require();
        var unified = CgroupHierarchies.Discover().OfType<CgroupV2Driver>().ToArray();
        Skip.If(unified.Length == 0, "no cgroup2 tree is mounted on this host");
        var request = new CloneRequest { Executable = "/bin/sh", Arguments = ["sh", "-c", Probe], Environment = ["PATH=/usr/bin:/bin"] };
        Skip.IfNot(VforkSpawn.CanRun(request), "the vfork-like spawn runs on x86-64 only");
        var group = new Cgroup($"cps-devprog-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}", unified);
        group.Create();
        try
        {
            group.RestrictDevices(allowed);
            using var entry = CgroupEntry.Open(group);
            var (read, write) = Sys.Pipe();
            int pid;
            using (write)
            {
                pid = VforkSpawn.Start(request with { Cgroup = entry, Descriptors = [(1, write)] });
            }
            using var reader = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(read.DangerousGetHandle(), false), FileAccess.Read));
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            read.Dispose();
            Assert.Equal(0, Sys.Wait(pid, block: true).Status);
            return lines;
        }
        finally
        {
            group.Remove();
        }
    }
}
