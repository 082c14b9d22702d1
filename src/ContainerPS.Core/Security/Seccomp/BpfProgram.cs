namespace ContainerPS.Core.Security.Seccomp;

/// <summary>One classic BPF instruction, laid out as the kernel's struct sock_filter.</summary>
public readonly record struct SockFilter(ushort Code, byte JumpTrue, byte JumpFalse, uint K);

/// <summary>
/// Writes a classic BPF program from its last instruction to its first. BPF only jumps forward, so every target is
/// written before the jump to it and its distance is known when the jump is: a conditional jump holds 8 bits of
/// distance, so one that would reach further goes through an unconditional jump (32 bits) put right after it.
/// A label is an instruction's distance from the end of the program.
/// </summary>
internal sealed class BpfProgram
{
    public const ushort LoadWordAbsolute = 0x20, AndConstant = 0x54, Return = 0x06,
        JumpAlways = 0x05, JumpIfEqual = 0x15, JumpIfGreater = 0x25, JumpIfGreaterOrEqual = 0x35;

    private readonly List<SockFilter> _reversed = [];

    /// <summary>The label the next instruction written gets.</summary>
    private int Next => _reversed.Count + 1;

    public int Count => _reversed.Count;

    public int Emit(ushort code, uint k)
    {
        _reversed.Add(new SockFilter(code, 0, 0, k));
        return _reversed.Count;
    }

    public int ReturnWith(uint action) => Emit(Return, action);

    /// <summary>A test of the accumulator against <paramref name="k"/> that goes on at <paramref name="whenTrue"/> or <paramref name="whenFalse"/>.</summary>
    public int Jump(ushort code, uint k, int whenTrue, int whenFalse)
    {
        whenTrue = Reachable(whenTrue, other: whenFalse);
        whenFalse = Reachable(whenFalse, other: whenTrue);
        _reversed.Add(new SockFilter(code, Distance(whenTrue), Distance(whenFalse), k));
        return _reversed.Count;
    }

    /// <summary>
    /// The target itself when a conditional jump written next reaches it, else an unconditional jump to it written
    /// now. A far jump on the other side adds one more instruction first, so that is counted in.
    /// </summary>
    private int Reachable(int target, int other)
    {
        var extra = Next - other - 1 > byte.MaxValue ? 1 : 0;
        if (Next + extra - target - 1 <= byte.MaxValue)
        {
            return target;
        }
        _reversed.Add(new SockFilter(JumpAlways, 0, 0, (uint)(Next - target - 1)));
        return _reversed.Count;
    }

    private byte Distance(int target) => checked((byte)(Next - target - 1));

    /// <summary>The program in execution order.</summary>
    public SockFilter[] ToArray()
    {
        var program = _reversed.ToArray();
        Array.Reverse(program);
        return program;
    }
}
