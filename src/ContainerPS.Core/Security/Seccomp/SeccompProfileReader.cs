using System.Text.Json;

namespace ContainerPS.Core.Security.Seccomp;

/// <summary>
/// Reads a seccomp profile in the OCI runtime spec's or Docker's JSON. Fields it does not know are ignored as Docker
/// ignores them; a value it cannot honour (an unknown action, operator or architecture, a malformed number) is a
/// <see cref="SeccompProfileException"/> that names where it is and what is valid. Unknown system call names are
/// not an error here: <see cref="SeccompCompiler"/> skips them, as Docker does.
/// </summary>
public static class SeccompProfileReader
{
    private static readonly Dictionary<string, SeccompAction> Actions = new(StringComparer.Ordinal)
    {
        ["SCMP_ACT_KILL"] = SeccompAction.KillThread,
        ["SCMP_ACT_KILL_THREAD"] = SeccompAction.KillThread,
        ["SCMP_ACT_KILL_PROCESS"] = SeccompAction.KillProcess,
        ["SCMP_ACT_TRAP"] = SeccompAction.Trap,
        ["SCMP_ACT_ERRNO"] = SeccompAction.Errno,
        ["SCMP_ACT_TRACE"] = SeccompAction.Trace,
        ["SCMP_ACT_LOG"] = SeccompAction.Log,
        ["SCMP_ACT_ALLOW"] = SeccompAction.Allow,
    };

    private static readonly Dictionary<string, SeccompOperator> Operators = new(StringComparer.Ordinal)
    {
        ["SCMP_CMP_NE"] = SeccompOperator.NotEqual,
        ["SCMP_CMP_LT"] = SeccompOperator.LessThan,
        ["SCMP_CMP_LE"] = SeccompOperator.LessOrEqual,
        ["SCMP_CMP_EQ"] = SeccompOperator.Equal,
        ["SCMP_CMP_GE"] = SeccompOperator.GreaterOrEqual,
        ["SCMP_CMP_GT"] = SeccompOperator.GreaterThan,
        ["SCMP_CMP_MASKED_EQ"] = SeccompOperator.MaskedEqual,
    };

    private static readonly HashSet<string> ArchitectureNames = new(StringComparer.Ordinal)
    {
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
        "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
    };

    /// <summary>Docker's default profile, as this module carries it (DefaultProfile.json beside this file).</summary>
    public static SeccompProfile Default { get; } = ReadDefault();

    /// <summary>The default profile's JSON text, for a user who wants a copy to edit.</summary>
    public static string DefaultJson
    {
        get
        {
            using var stream = typeof(SeccompProfileReader).Assembly.GetManifestResourceStream("ContainerPS.Core.Security.Seccomp.DefaultProfile.json")!;
            return new StreamReader(stream).ReadToEnd();
        }
    }

    public static SeccompProfile Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SeccompProfileException($"The profile is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SeccompProfileException($"The profile must be a JSON object with defaultAction and syscalls, not a {root.ValueKind}.");
            }
            return new SeccompProfile
            {
                DefaultAction = Action(root.TryGetProperty("defaultAction", out var action) ? action : default, "defaultAction"),
                DefaultErrnoRet = Errno(root, "defaultErrnoRet", "defaultErrnoRet"),
                Architectures = ReadArchitectures(root),
                Syscalls = root.TryGetProperty("syscalls", out var syscalls) && syscalls.ValueKind != JsonValueKind.Null
                    ? Array(syscalls, "syscalls").Select((rule, i) => ReadRule(rule, $"syscalls[{i}]")).ToArray()
                    : [],
            };
        }
    }

    private static SeccompProfile ReadDefault() => Read(DefaultJson);

    private static string[] ReadArchitectures(JsonElement root)
    {
        var names = new List<string>();
        if (root.TryGetProperty("architectures", out var architectures) && architectures.ValueKind != JsonValueKind.Null)
        {
            names.AddRange(Strings(architectures, "architectures"));
        }
        if (root.TryGetProperty("archMap", out var archMap) && archMap.ValueKind != JsonValueKind.Null)
        {
            foreach (var (entry, i) in Array(archMap, "archMap").Select((e, i) => (e, i)))
            {
                if (entry.TryGetProperty("architecture", out var main))
                {
                    names.Add(String(main, $"archMap[{i}].architecture"));
                }
                if (entry.TryGetProperty("subArchitectures", out var subs) && subs.ValueKind != JsonValueKind.Null)
                {
                    names.AddRange(Strings(subs, $"archMap[{i}].subArchitectures"));
                }
            }
        }
        foreach (var name in names.Where(n => !ArchitectureNames.Contains(n)))
        {
            throw new SeccompProfileException($"'{name}' is not a seccomp architecture. Valid: {string.Join(", ", ArchitectureNames)}.");
        }
        return names.Distinct().ToArray();
    }

    private static SeccompRule ReadRule(JsonElement rule, string where)
    {
        if (rule.ValueKind != JsonValueKind.Object)
        {
            throw new SeccompProfileException($"{where} must be an object with names and action.");
        }
        var names = rule.TryGetProperty("names", out var list) && list.ValueKind != JsonValueKind.Null ? Strings(list, $"{where}.names")
            : rule.TryGetProperty("name", out var one) ? [String(one, $"{where}.name")] // the older single-name form
            : throw new SeccompProfileException($"{where} names no system call: give \"names\": [\"...\"].");
        return new SeccompRule
        {
            Names = names,
            Action = Action(rule.TryGetProperty("action", out var action) ? action : default, $"{where}.action"),
            ErrnoRet = Errno(rule, "errnoRet", $"{where}.errnoRet"),
            Args = rule.TryGetProperty("args", out var args) && args.ValueKind != JsonValueKind.Null
                ? Array(args, $"{where}.args").Select((a, i) => ReadArgument(a, $"{where}.args[{i}]")).ToArray()
                : [],
            Includes = ReadCondition(rule, "includes", where),
            Excludes = ReadCondition(rule, "excludes", where),
        };
    }

    private static SeccompArgument ReadArgument(JsonElement arg, string where)
    {
        var index = arg.TryGetProperty("index", out var i) && i.TryGetUInt32(out var n) && n <= 5 ? (int)n
            : throw new SeccompProfileException($"{where}.index must be an argument number from 0 to 5.");
        var op = arg.TryGetProperty("op", out var o) && o.ValueKind == JsonValueKind.String && Operators.TryGetValue(o.GetString()!, out var known) ? known
            : throw new SeccompProfileException($"{where}.op '{(o.ValueKind == JsonValueKind.Undefined ? "" : o.ToString())}' is not a comparison. Valid: {string.Join(", ", Operators.Keys)}.");
        return new SeccompArgument(index, Number(arg, "value", $"{where}.value"), Number(arg, "valueTwo", $"{where}.valueTwo"), op);
    }

    private static SeccompCondition ReadCondition(JsonElement rule, string property, string where)
    {
        if (!rule.TryGetProperty(property, out var condition) || condition.ValueKind == JsonValueKind.Null)
        {
            return SeccompCondition.None;
        }
        return new SeccompCondition
        {
            Caps = condition.TryGetProperty("caps", out var caps) && caps.ValueKind != JsonValueKind.Null ? Strings(caps, $"{where}.{property}.caps") : [],
            Arches = condition.TryGetProperty("arches", out var arches) && arches.ValueKind != JsonValueKind.Null ? Strings(arches, $"{where}.{property}.arches") : [],
            MinKernel = condition.TryGetProperty("minKernel", out var kernel) && kernel.ValueKind != JsonValueKind.Null ? String(kernel, $"{where}.{property}.minKernel") : null,
        };
    }

    private static SeccompAction Action(JsonElement value, string where)
    {
        if (value.ValueKind == JsonValueKind.String && Actions.TryGetValue(value.GetString()!, out var action))
        {
            return action;
        }
        var given = value.ValueKind == JsonValueKind.Undefined ? "(missing)" : $"'{value}'";
        var notify = value.ValueKind == JsonValueKind.String && value.GetString() == "SCMP_ACT_NOTIFY" ? " SCMP_ACT_NOTIFY needs a seccomp agent, which ContainerPS does not run." : "";
        throw new SeccompProfileException($"{where} {given} is not a seccomp action.{notify} Valid: {string.Join(", ", Actions.Keys)}.");
    }

    private static uint? Errno(JsonElement parent, string property, string where) =>
        !parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.TryGetUInt32(out var errno) && errno is > 0 and <= 4095 ? errno
        : throw new SeccompProfileException($"{where} '{value}' is not an errno: give a number from 1 to 4095 (1 is EPERM, 38 ENOSYS).");

    private static ulong Number(JsonElement parent, string property, string where) =>
        !parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null ? 0
        : value.TryGetUInt64(out var number) ? number
        : throw new SeccompProfileException($"{where} '{value}' is not an unsigned 64-bit number.");

    private static IEnumerable<JsonElement> Array(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw new SeccompProfileException($"{where} must be a JSON array, not a {value.ValueKind}.");

    private static string[] Strings(JsonElement value, string where) =>
        Array(value, where).Select((e, i) => String(e, $"{where}[{i}]")).ToArray();

    private static string String(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new SeccompProfileException($"{where} must be a string, not a {value.ValueKind}.");
}

/// <summary>A seccomp profile that cannot be read or compiled; the message says where and what is valid.</summary>
public sealed class SeccompProfileException(string message, Exception? inner = null) : FormatException(message, inner);
