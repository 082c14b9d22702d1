using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Security;

/// <summary>
/// A device allow list as a BPF_PROG_TYPE_CGROUP_DEVICE program, cgroup v2's replacement for devices.allow: the
/// kernel runs it on every open and mknod of a device node by a process in the group, with a struct
/// bpf_cgroup_dev_ctx { u32 access_type (access &lt;&lt; 16 | type); u32 major; u32 minor; }, and refuses with EPERM
/// unless it returns 1. The program is written here as the instructions it is, one per line:
/// <code>
///   r2 = *(u32 *)(r1 + 0)      ; access_type
///   r3 = r2
///   r2 &amp;= 0xffff             ; the type: 1 block, 2 char
///   r3 &gt;&gt;= 16                ; the access: 1 mknod, 2 read, 4 write
///   r4 = *(u32 *)(r1 + 4)      ; major
///   r5 = *(u32 *)(r1 + 8)      ; minor
///   for each rule:
///     if r2 != TYPE goto next
///     r1 = r3; r1 &amp;= ~ACCESS  ; asked for anything the rule does not give?
///     if r1 != 0 goto next
///     if r4 != MAJOR goto next ; left out for "any"
///     if r5 != MINOR goto next ; left out for "any"
///     r0 = 1; exit
///   next: ...
///   r0 = 0; exit               ; nothing matched: denied
/// </code>
/// </summary>
public static class DeviceProgram
{
    private const uint ProgramTypeCgroupDevice = 15, AttachTypeCgroupDevice = 6, AllowMulti = 2;

    private const byte LoadWord = 0x61 /* BPF_LDX | BPF_MEM | BPF_W */, MoveRegister = 0xbf /* BPF_ALU64 | BPF_MOV | BPF_X */,
        MoveImmediate = 0xb7 /* BPF_ALU64 | BPF_MOV | BPF_K */, AndImmediate = 0x57, ShiftRightImmediate = 0x77,
        JumpIfNotEqual = 0x55 /* BPF_JMP | BPF_JNE | BPF_K */, Exit = 0x95;

    private const byte R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    /// <summary>The program's instructions, 8 bytes each (opcode, dst | src &lt;&lt; 4, 16-bit offset, 32-bit immediate).</summary>
    public static byte[] Assemble(IReadOnlyList<DeviceRule> allowed)
    {
        var code = new List<byte[]>
        {
            Instruction(LoadWord, R2, R1, 0, 0),
            Instruction(MoveRegister, R3, R2, 0, 0),
            Instruction(AndImmediate, R2, 0, 0, 0xffff),
            Instruction(ShiftRightImmediate, R3, 0, 0, 16),
            Instruction(LoadWord, R4, R1, 4, 0),
            Instruction(LoadWord, R5, R1, 8, 0),
        };
        foreach (var rule in allowed)
        {
            code.AddRange(Match(rule));
        }
        code.Add(Instruction(MoveImmediate, R0, 0, 0, 0));
        code.Add(Instruction(Exit, 0, 0, 0, 0));
        return code.SelectMany(i => i).ToArray();
    }

    /// <summary>
    /// Loads the program and attaches it to the cgroup2 directory open at <paramref name="cgroup"/>. Attached with
    /// BPF_F_ALLOW_MULTI, so a program of a parent group (systemd's) still has its say: a device must pass every one.
    /// The attachment holds the program; it goes when the group is removed.
    /// </summary>
    public static void AttachTo(SafeFd cgroup, IReadOnlyList<DeviceRule> allowed, string target)
    {
        using var program = Bpf.LoadProgram(ProgramTypeCgroupDevice, Assemble(allowed), AttachTypeCgroupDevice, "cps_devices");
        Bpf.Attach(cgroup, program, AttachTypeCgroupDevice, AllowMulti, target);
    }

    /// <summary>One rule's block: its tests jump past the block's end when they fail; the last two lines allow.</summary>
    private static List<byte[]> Match(DeviceRule rule)
    {
        // Offsets are filled once the block's length is known: a failed test skips what follows it in the block.
        var block = new List<(byte Op, byte Dst, byte Src, bool Jumps, int Imm)>
        {
            (JumpIfNotEqual, R2, 0, true, rule.Type == DeviceType.Block ? 1 : 2),
            (MoveRegister, R1, R3, false, 0),
            (AndImmediate, R1, 0, false, ~(int)rule.Access & (int)DeviceAccess.All),
            (JumpIfNotEqual, R1, 0, true, 0),
        };
        if (rule.Major is { } major)
        {
            block.Add((JumpIfNotEqual, R4, 0, true, (int)major));
        }
        if (rule.Minor is { } minor)
        {
            block.Add((JumpIfNotEqual, R5, 0, true, (int)minor));
        }
        block.Add((MoveImmediate, R0, 0, false, 1));
        block.Add((Exit, 0, 0, false, 0));
        return block.Select((i, at) => Instruction(i.Op, i.Dst, i.Src, i.Jumps ? (short)(block.Count - at - 1) : (short)0, i.Imm)).ToList();
    }

    private static byte[] Instruction(byte opcode, byte dst, byte src, short offset, int immediate)
    {
        var bytes = new byte[8];
        bytes[0] = opcode;
        bytes[1] = (byte)(dst | src << 4);
        BitConverter.TryWriteBytes(bytes.AsSpan(2, 2), offset);
        BitConverter.TryWriteBytes(bytes.AsSpan(4, 4), immediate);
        return bytes;
    }
}
