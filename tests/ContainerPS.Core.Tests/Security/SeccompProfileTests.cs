using ContainerPS.Core.Interop;
using ContainerPS.Core.Security;
using ContainerPS.Core.Security.Seccomp;

namespace ContainerPS.Core.Tests.Security;

/// <summary>Reading profiles and compiling them without running them: errors, limits, the syscall table.</summary>
public class SeccompProfileTests
{
    [Fact]
    public void The_default_profile_compiles_within_the_kernels_limit_and_skips_names_x86_64_lacks()
    {
        var filter = SeccompCompiler.Compile(SeccompProfileReader.Default, Capabilities.ContainerDefaultMask);
        Assert.InRange(filter.Instructions.Length, 20, SeccompCompiler.MaxInstructions);
        Assert.Contains("chown32", filter.IgnoredNames);
        Assert.DoesNotContain("chown", filter.IgnoredNames);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_DENY" }""", "defaultAction 'SCMP_ACT_DENY' is not a seccomp action")]
    [InlineData("""{ "syscalls": [] }""", "defaultAction (missing) is not a seccomp action")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_NOTIFY" }""", "needs a seccomp agent")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "ALLOW" } ] }""", "syscalls[0].action 'ALLOW'")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [ { "index": 6, "op": "SCMP_CMP_EQ" } ] } ] }""", "syscalls[0].args[0].index must be")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_LIKE" } ] } ] }""", "op 'SCMP_CMP_LIKE' is not a comparison")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_Z80"] }""", "'SCMP_ARCH_Z80' is not a seccomp architecture")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": -1 }""", "defaultErrnoRet '-1' is not an errno")]
    public void A_bad_profile_is_refused_with_where_and_what_is_valid(string json, string expected)
    {
        var e = Assert.Throws<SeccompProfileException>(() => SeccompProfileReader.Read(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void An_arm64_filter_checks_arm64s_audit_arch_and_skips_the_calls_arm64_lacks()
    {
        var filter = SeccompCompiler.Compile(SeccompProfileReader.Default, Capabilities.ContainerDefaultMask, SyscallTable.Aarch64);
        // The prologue: load seccomp_data.arch, compare with AUDIT_ARCH_AARCH64, load the number, and no x32 test.
        Assert.Equal(0xC00000B7u, filter.Instructions[1].K);
        Assert.NotEqual(0x40000000u, filter.Instructions[3].K);
        Assert.Contains("chown", filter.IgnoredNames);
        Assert.DoesNotContain("fchownat", filter.IgnoredNames);
    }

    [Fact]
    public void Unknown_names_are_skipped_as_Docker_skips_them()
    {
        var profile = SeccompProfileReader.Read("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read", "no_such_call"], "action": "SCMP_ACT_ERRNO" } ] }""");
        Assert.Equal(["no_such_call"], SeccompCompiler.Compile(profile, 0).IgnoredNames);
    }

    [Fact]
    public void An_unknown_capability_in_a_rule_is_refused()
    {
        var profile = SeccompProfileReader.Read("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ERRNO", "includes": { "caps": ["CAP_FLY"] } } ] }""");
        var e = Assert.Throws<SeccompProfileException>(() => SeccompCompiler.Compile(profile, 0));
        Assert.Contains("'CAP_FLY'", e.Message);
    }

    [Fact]
    public void A_profile_longer_than_BPF_MAXINSNS_is_refused()
    {
        var rules = string.Join(",", Enumerable.Range(0, 200).Select(i =>
            $$"""{ "names": ["read", "write", "close"], "action": "SCMP_ACT_ERRNO", "args": [ { "index": 0, "value": {{i}}, "op": "SCMP_CMP_EQ" }, { "index": 1, "value": {{i}}, "op": "SCMP_CMP_GE" } ] }"""));
        var profile = SeccompProfileReader.Read($$"""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ {{rules}} ] }""");
        var e = Assert.Throws<SeccompProfileException>(() => SeccompCompiler.Compile(profile, 0));
        Assert.Contains("at most 4096 (BPF_MAXINSNS)", e.Message);
    }
}
