using ContainerPS.Core.Security;
using ContainerPS.Core.Security.Seccomp;

namespace ContainerPS.Core.Tests.Security;

/// <summary>Compiled profiles installed in a real child: what the kernel answers is what the profile says.</summary>
[Collection(WholeProcessTests.Name)]
public class SeccompKernelTests
{
    private const int Eperm = 1, Enosys = 38;

    /// <summary>Calls that are safe to make with -1 arguments; what the default profile allows and denies among them.</summary>
    private static readonly string[] Allowed = ["getpid", "read", "close", "dup", "kill", "mmap", "openat", "uname", "chroot", "prctl", "socket", "personality:0", "personality:4294967295"];
    private static readonly string[] Denied = ["unshare", "keyctl", "add_key", "request_key", "mount", "umount2", "perf_event_open", "io_uring_setup", "kexec_load", "bpf", "setns", "open_by_handle_at", "userfaultfd", "personality:1", "socket:40"];

    [SkippableFact]
    public void The_default_profile_denies_what_Docker_denies_and_leaves_the_rest_to_the_kernel()
    {
        SyscallProbe.Require();
        var filter = SeccompCompiler.Compile(SeccompProfileReader.Default, Capabilities.ContainerDefaultMask);
        var calls = Allowed.Concat(Denied).Append("clone3").ToArray();
        var unfiltered = SyscallProbe.Run(null, calls);
        var filtered = SyscallProbe.Run(filter, calls);

        Assert.All(Allowed, call => Assert.Equal((call, unfiltered[call]), (call, filtered[call])));
        Assert.All(Denied, call => Assert.Equal((call, Eperm), (call, filtered[call])));
        Assert.Equal(Enosys, filtered["clone3"]); // so glibc falls back to clone, whose flags the filter can read
        Assert.NotEqual(Eperm, unfiltered["unshare"]); // the kernel alone would have let it try
        // Only filtered: unfiltered, CLONE_NEWUSER with a stack of -1 would make a child that crashes.
        Assert.Equal(Eperm, SyscallProbe.Run(filter, "clone:268435456")["clone:268435456"]);
    }

    [SkippableFact]
    public void Capability_gated_rules_follow_the_containers_capabilities()
    {
        SyscallProbe.Require();
        const int SysAdmin = 21;
        var filter = SeccompCompiler.Compile(SeccompProfileReader.Default, Capabilities.ContainerDefaultMask | 1UL << SysAdmin);
        var result = SyscallProbe.Run(filter, "unshare", "clone3", "mount");
        Assert.All(result, r => Assert.NotEqual(Eperm, r.Value)); // EINVAL/EFAULT from the kernel, not the filter
        Assert.NotEqual(Enosys, result["clone3"]);
    }

    public static TheoryData<string, ulong> Comparisons()
    {
        var data = new TheoryData<string, ulong>();
        const ulong Value = 0x1_0000_0005;
        foreach (var op in new[] { "SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_GT", "SCMP_CMP_GE" })
        {
            foreach (var arg in new[] { Value - 1, Value, Value + 1, 5UL, 6UL, 0x2_0000_0000UL, 0x2_0000_0005UL, 0UL })
            {
                data.Add(op, arg);
            }
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Comparisons))]
    public void A_64_bit_comparison_compares_both_halves(string op, ulong argument)
    {
        SyscallProbe.Require();
        const ulong Value = 0x1_0000_0005;
        var holds = op switch
        {
            "SCMP_CMP_EQ" => argument == Value,
            "SCMP_CMP_NE" => argument != Value,
            "SCMP_CMP_LT" => argument < Value,
            "SCMP_CMP_LE" => argument <= Value,
            "SCMP_CMP_GT" => argument > Value,
            _ => argument >= Value,
        };
        // getppid ignores its arguments, but the filter sees them.
        var profile = SeccompProfileReader.Read($$"""
            { "defaultAction": "SCMP_ACT_ALLOW",
              "syscalls": [ { "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 77,
                              "args": [ { "index": 0, "value": {{Value}}, "op": "{{op}}" } ] } ] }
            """);
        var result = SyscallProbe.Run(SeccompCompiler.Compile(profile, 0), $"getppid:{argument}");
        Assert.Equal(holds ? 77 : 0, result[$"getppid:{argument}"]);
    }

    [SkippableTheory]
    [InlineData(0x7E020000UL, false)] // every namespace flag: masked, equal to the mask, not to 0
    [InlineData(0x10000000UL, false)] // CLONE_NEWUSER
    [InlineData(0x1_0000_0000UL, true)] // only the upper half set: masked away
    [InlineData(0x01200011UL, true)] // fork's flags
    public void A_masked_comparison_tests_only_the_bits_in_the_mask(ulong argument, bool holds)
    {
        SyscallProbe.Require();
        var profile = SeccompProfileReader.Read("""
            { "defaultAction": "SCMP_ACT_ALLOW",
              "syscalls": [ { "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 77,
                              "args": [ { "index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ" } ] } ] }
            """);
        var result = SyscallProbe.Run(SeccompCompiler.Compile(profile, 0), $"getppid:{argument}");
        Assert.Equal(holds ? 77 : 0, result[$"getppid:{argument}"]);
    }

    [SkippableFact]
    public void Jumps_further_than_255_instructions_reach_their_targets()
    {
        SyscallProbe.Require();
        // Many conditional rules put the bodies of the calls far from the search that leads to them.
        var padding = string.Join(",", Enumerable.Range(0, 120).Select(i =>
            $$"""{ "names": ["getpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 90, "args": [ { "index": 1, "value": {{1000 + i}}, "op": "SCMP_CMP_EQ" } ] }"""));
        var profile = SeccompProfileReader.Read($$"""
            { "defaultAction": "SCMP_ACT_ALLOW",
              "syscalls": [ {{padding}},
                { "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 77 },
                { "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 78 },
                { "names": ["read", "getgid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 79 } ] }
            """);
        var filter = SeccompCompiler.Compile(profile, 0);
        Assert.Contains(filter.Instructions, i => i.Code == 0x05 && i.K > 255); // the long-jump path was taken

        var result = SyscallProbe.Run(filter, "getppid", "read", "getgid", "getpid", "getpriority");
        Assert.Equal(77, result["getppid"]); // the first rule for a call decides
        Assert.Equal(79, result["read"]);
        Assert.Equal(79, result["getgid"]);
        Assert.Equal(0, result["getpid"]);
        Assert.NotEqual(90, result["getpriority"]); // its second argument (-1) matches none of the 120 conditions
    }
}
