using System.Text.RegularExpressions;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Tests.Rootfs;

namespace ContainerPS.Core.Tests.Interop;

/// <summary>Each architecture's system call table against that architecture's kernel headers.</summary>
public class SyscallTableTests
{
    [SkippableFact]
    public void The_x86_64_table_agrees_with_the_kernel_headers()
    {
        const string Header = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
        Skip.IfNot(File.Exists(Header), $"needs {Header} (linux-libc-dev)");
        var defined = Regex.Matches(File.ReadAllText(Header), @"#define __NR_(\w+) (\d+)")
            .ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value));
        AssertAgrees(SyscallTable.X86_64, defined);
    }

    /// <summary>
    /// arm64's numbers come from the generic table through macros (__NR_fcntl is __NR3264_fcntl), so the header is
    /// preprocessed for arm64 by clang and each name followed to its number.
    /// </summary>
    [SkippableFact]
    public void The_aarch64_table_agrees_with_the_kernel_headers()
    {
        const string Headers = "/usr/aarch64-linux-gnu/include";
        Skip.IfNot(File.Exists(Path.Join(Headers, "asm/unistd.h")), $"needs {Headers}/asm/unistd.h (linux-libc-dev-arm64-cross)");
        var clang = HostClang.Find();
        Skip.If(clang is null, "needs clang to preprocess the arm64 headers (apt-get install clang)");
        var source = Path.Join(Path.GetTempPath(), $"cps-unistd-{Environment.ProcessId}.c");
        File.WriteAllText(source, "#include <asm/unistd.h>\n");
        try
        {
            var (exitCode, output, error) = HostCommand.Run(clang!, "--target=aarch64-linux-gnu", "-nostdinc", "-isystem", Headers, "-E", "-dM", source);
            Assert.True(exitCode == 0, $"{clang} could not preprocess the arm64 headers: {error}");
            var macros = Regex.Matches(output, @"^#define (__NR(?:3264)?_\w+) (\S+)$", RegexOptions.Multiline)
                .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            long Resolve(string value) => long.TryParse(value.Trim('(', ')'), out var n) ? n : Resolve(macros[value]);
            var defined = macros.Keys
                .Where(name => name.StartsWith("__NR_", StringComparison.Ordinal) && name is not "__NR_syscalls" and not "__NR_arch_specific_syscall")
                .ToDictionary(name => name["__NR_".Length..], name => Resolve(macros[name]));
            Assert.Contains("openat", defined.Keys);
            AssertAgrees(SyscallTable.Aarch64, defined);
        }
        finally
        {
            File.Delete(source);
        }
    }

    /// <summary>The calls SyscallNumber names (read from its source, so a call added there is checked too).</summary>
    [Fact]
    public void Every_call_the_runtime_makes_by_number_exists_on_both_architectures()
    {
        var source = File.ReadAllText(Path.Join(Architecture.LayerTests.CoreSource(), "Interop", "SyscallNumber.cs"));
        var names = Regex.Matches(source, @"Known\(""(\w+)""\)").Select(m => m.Groups[1].Value).ToArray();
        Assert.Contains("openat", names);
        var missing = names.Where(n => SyscallTable.X86_64.Of(n) is null || SyscallTable.Aarch64.Of(n) is null).ToArray();
        Assert.True(missing.Length == 0, $"not in both tables: {string.Join(", ", missing)}");
        Assert.Null(SyscallTable.Aarch64.Of("open"));
        Assert.Equal(64, SyscallTable.Aarch64.Of("write"));
        Assert.Equal(94, SyscallTable.Aarch64.Of("exit_group"));
    }

    private static void AssertAgrees(SyscallTable table, Dictionary<string, long> defined)
    {
        Assert.NotEmpty(defined);
        var wrong = defined.Where(d => table.Of(d.Key) != d.Value).Select(d => $"{d.Key}: header {d.Value}, table {table.Of(d.Key)?.ToString() ?? "none"}").ToArray();
        Assert.True(wrong.Length == 0, $"{table.Name}: {string.Join("; ", wrong)}");
    }
}
