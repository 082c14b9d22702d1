using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Security.Seccomp;

/// <summary>
/// Compiles a <see cref="SeccompProfile"/> for one container into the classic BPF program seccomp(2) installs.
/// The program checks the architecture (the one this process runs on: Core has no i386, x32 or 32-bit arm table, so
/// calls through those ABIs kill the process, as libseccomp does for an architecture a filter leaves out), then finds the call's number by
/// binary search over ranges of numbers that share a verdict, then tests that call's rules in profile order: the
/// first rule whose argument conditions all hold decides, and a call no rule decides gets the default action.
/// </summary>
public static class SeccompCompiler
{
    /// <summary>The kernel's limit on a filter's length (BPF_MAXINSNS).</summary>
    public const int MaxInstructions = 4096;

    private const uint OffsetNr = 0, OffsetArch = 4, OffsetArgs = 16;
    private const uint Eperm = 1;

    /// <param name="capabilities">The container's capabilities as a bit mask, for rules gated on them.</param>
    public static SeccompFilter Compile(SeccompProfile profile, ulong capabilities) =>
        Compile(profile, capabilities, SyscallTable.Native ?? throw new PlatformNotSupportedException(
            $"Seccomp filters need a system call table, and ContainerPS has none for {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}."));

    /// <summary>The filter for another architecture's table (the tests compile for arm64 on x86-64).</summary>
    internal static SeccompFilter Compile(SeccompProfile profile, ulong capabilities, SyscallTable table)
    {
        var ignored = new SortedSet<string>(StringComparer.Ordinal);
        var rulesByNumber = new SortedDictionary<uint, List<SeccompRule>>();
        foreach (var rule in profile.Syscalls.Where(r => Applies(r, capabilities, table)))
        {
            if (rule.Args.Count > 6)
            {
                throw new SeccompProfileException($"The rule for {string.Join(", ", rule.Names)} has {rule.Args.Count} argument conditions; a call has 6 arguments.");
            }
            foreach (var name in rule.Names)
            {
                if (table.Of(name) is not { } number)
                {
                    ignored.Add(name);
                    continue;
                }
                if (!rulesByNumber.TryGetValue((uint)number, out var rules))
                {
                    rulesByNumber[(uint)number] = rules = [];
                }
                rules.Add(rule);
            }
        }

        var program = new BpfProgram();
        var kill = program.ReturnWith(ReturnValue(SeccompAction.KillProcess, null));
        var fallback = program.ReturnWith(ReturnValue(profile.DefaultAction, profile.DefaultErrnoRet));
        var ranges = Ranges(rulesByNumber, profile.DefaultAction, profile.DefaultErrnoRet, program, fallback);
        var dispatch = Dispatch(program, ranges, 0, ranges.Count);
        // The prologue, written last because it runs first: the architecture, then the number, with another ABI's bit
        // (x32's) refused where the architecture has one.
        if (table.ForeignAbiBit != 0)
        {
            program.Jump(BpfProgram.JumpIfGreaterOrEqual, table.ForeignAbiBit, kill, dispatch);
        }
        var loadNr = program.Emit(BpfProgram.LoadWordAbsolute, OffsetNr);
        program.Jump(BpfProgram.JumpIfEqual, table.AuditArch, loadNr, kill);
        program.Emit(BpfProgram.LoadWordAbsolute, OffsetArch);

        if (program.Count > MaxInstructions)
        {
            throw new SeccompProfileException($"The profile compiles to {program.Count} BPF instructions; the kernel takes at most {MaxInstructions} (BPF_MAXINSNS). Merge rules or use fewer argument conditions.");
        }
        return new SeccompFilter(program.ToArray(), ignored.ToArray());
    }

    /// <summary>Docker's includes and excludes, evaluated for this container on this architecture and kernel.</summary>
    private static bool Applies(SeccompRule rule, ulong capabilities, SyscallTable table)
    {
        bool Holds(string cap) => CapabilityNames.Number(cap) is { } n ? (capabilities & 1UL << n) != 0
            : throw new SeccompProfileException($"'{cap}' in the rule for {string.Join(", ", rule.Names)} is not a capability (see capabilities(7): CAP_SYS_ADMIN, ...).");
        bool Native(string arch) => table.SeccompNames.Contains(arch);
        var inc = rule.Includes;
        var exc = rule.Excludes;
        return inc.Caps.All(Holds) && (inc.Arches.Count == 0 || inc.Arches.Any(Native)) && (inc.MinKernel is null || KernelAtLeast(inc.MinKernel))
            && !exc.Caps.Any(Holds) && !exc.Arches.Any(Native) && (exc.MinKernel is null || !KernelAtLeast(exc.MinKernel));
    }

    private static bool KernelAtLeast(string release) =>
        Version.TryParse(release.Contains('.') ? release : release + ".0", out var wanted)
            ? Environment.OSVersion.Version >= wanted
            : throw new SeccompProfileException($"minKernel '{release}' is not a kernel release such as 4.8.");

    /// <summary>
    /// Every number from 0 to the largest one named, as ranges that share one body: a run of calls that all just
    /// return the same verdict is one range, so Docker's ~330 allowed calls take a few dozen comparisons to find.
    /// </summary>
    private static List<(uint First, int Body)> Ranges(SortedDictionary<uint, List<SeccompRule>> rulesByNumber,
        SeccompAction defaultAction, uint? defaultErrno, BpfProgram program, int fallback)
    {
        var ranges = new List<(uint First, int Body)> { (0, fallback) };
        var defaultValue = ReturnValue(defaultAction, defaultErrno);
        var plainBodies = new Dictionary<uint, int> { [defaultValue] = fallback };
        uint? previous = null;
        foreach (var (number, rules) in rulesByNumber)
        {
            if (previous is { } p && p + 1 != number)
            {
                ranges.Add((p + 1, fallback));
            }
            var decided = rules.FindIndex(r => r.Args.Count == 0);
            var body = decided == 0 ? Plain(ReturnValue(rules[0].Action, rules[0].ErrnoRet))
                : Conditional(program, decided < 0 ? rules : rules.Take(decided + 1).ToList(), fallback);
            if (ranges[^1].First == number)
            {
                ranges[^1] = (number, body);
            }
            else if (ranges[^1].Body != body)
            {
                ranges.Add((number, body));
            }
            previous = number;
        }
        if (previous is { } last && ranges[^1].Body != fallback)
        {
            ranges.Add((last + 1, fallback));
        }
        return ranges;

        int Plain(uint value) => plainBodies.TryGetValue(value, out var label) ? label : plainBodies[value] = program.ReturnWith(value);
    }

    /// <summary>A call's rules in profile order; each one's argument tests fall through to the next rule.</summary>
    private static int Conditional(BpfProgram program, List<SeccompRule> rules, int fallback)
    {
        var next = fallback;
        foreach (var rule in Enumerable.Reverse(rules))
        {
            var verdict = program.ReturnWith(ReturnValue(rule.Action, rule.ErrnoRet));
            next = Enumerable.Reverse(rule.Args).Aggregate(verdict, (holds, arg) => ArgumentTest.Emit(program, arg, OffsetArgs, holds, next));
        }
        return next;
    }

    /// <summary>A binary search over ranges[from..to) with the call's number in the accumulator.</summary>
    private static int Dispatch(BpfProgram program, List<(uint First, int Body)> ranges, int from, int to)
    {
        if (to - from == 1)
        {
            return ranges[from].Body;
        }
        var middle = (from + to) / 2;
        var upper = Dispatch(program, ranges, middle, to);
        var lower = Dispatch(program, ranges, from, middle);
        return program.Jump(BpfProgram.JumpIfGreaterOrEqual, ranges[middle].First, upper, lower);
    }

    /// <summary>SECCOMP_RET_* with its data.</summary>
    private static uint ReturnValue(SeccompAction action, uint? errno) => action switch
    {
        SeccompAction.KillProcess => 0x80000000,
        SeccompAction.KillThread => 0x00000000,
        SeccompAction.Trap => 0x00030000,
        SeccompAction.Errno => 0x00050000 | (errno ?? Eperm),
        SeccompAction.Trace => 0x7ff00000 | (errno ?? 0) & 0xffff,
        SeccompAction.Log => 0x7ffc0000,
        SeccompAction.Allow => 0x7fff0000,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}
