namespace ContainerPS.Core.Security.Seccomp;

/// <summary>
/// One argument condition as BPF. seccomp_data holds each argument as 64 bits, and classic BPF compares 32: the
/// upper half decides unless it is equal, then the lower half does, the way libseccomp writes its comparisons.
/// Less-than and less-or-equal are the negations of greater-or-equal and greater, with the targets swapped.
/// </summary>
internal static class ArgumentTest
{
    /// <returns>The label of the test's first instruction.</returns>
    public static int Emit(BpfProgram program, SeccompArgument arg, uint argsOffset, int holds, int fails)
    {
        var low = argsOffset + (uint)arg.Index * 8; // little-endian: the lower half first
        var high = low + 4;
        var (valueHigh, valueLow) = ((uint)(arg.Value >> 32), (uint)arg.Value);
        switch (arg.Op)
        {
            case SeccompOperator.Equal:
                return Halves(program, high, low, BpfProgram.JumpIfEqual, valueHigh, valueLow, holds, fails);
            case SeccompOperator.NotEqual:
                return Halves(program, high, low, BpfProgram.JumpIfEqual, valueHigh, valueLow, fails, holds);
            case SeccompOperator.GreaterThan:
                return Ordered(program, high, low, BpfProgram.JumpIfGreater, valueHigh, valueLow, holds, fails);
            case SeccompOperator.GreaterOrEqual:
                return Ordered(program, high, low, BpfProgram.JumpIfGreaterOrEqual, valueHigh, valueLow, holds, fails);
            case SeccompOperator.LessThan:
                return Ordered(program, high, low, BpfProgram.JumpIfGreaterOrEqual, valueHigh, valueLow, fails, holds);
            case SeccompOperator.LessOrEqual:
                return Ordered(program, high, low, BpfProgram.JumpIfGreater, valueHigh, valueLow, fails, holds);
            case SeccompOperator.MaskedEqual:
                // value is the mask, valueTwo what the masked argument must equal.
                program.Jump(BpfProgram.JumpIfEqual, (uint)arg.ValueTwo, holds, fails);
                program.Emit(BpfProgram.AndConstant, valueLow);
                var loadLow = program.Emit(BpfProgram.LoadWordAbsolute, low);
                program.Jump(BpfProgram.JumpIfEqual, (uint)(arg.ValueTwo >> 32), loadLow, fails);
                program.Emit(BpfProgram.AndConstant, valueHigh);
                return program.Emit(BpfProgram.LoadWordAbsolute, high);
            default:
                throw new ArgumentOutOfRangeException(nameof(arg), arg.Op, null);
        }
    }

    /// <summary>Both halves equal: true; either differs: false.</summary>
    private static int Halves(BpfProgram program, uint high, uint low, ushort code, uint valueHigh, uint valueLow, int whenTrue, int whenFalse)
    {
        program.Jump(code, valueLow, whenTrue, whenFalse);
        var loadLow = program.Emit(BpfProgram.LoadWordAbsolute, low);
        program.Jump(code, valueHigh, loadLow, whenFalse);
        return program.Emit(BpfProgram.LoadWordAbsolute, high);
    }

    /// <summary>An unsigned 64-bit order test: the upper halves decide unless equal, then the lower halves.</summary>
    private static int Ordered(BpfProgram program, uint high, uint low, ushort code, uint valueHigh, uint valueLow, int whenTrue, int whenFalse)
    {
        program.Jump(code, valueLow, whenTrue, whenFalse);
        var loadLow = program.Emit(BpfProgram.LoadWordAbsolute, low);
        var highEqual = program.Jump(BpfProgram.JumpIfEqual, valueHigh, loadLow, whenFalse);
        program.Jump(BpfProgram.JumpIfGreater, valueHigh, whenTrue, highEqual);
        return program.Emit(BpfProgram.LoadWordAbsolute, high);
    }
}
