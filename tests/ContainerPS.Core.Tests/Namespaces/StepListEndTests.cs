using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Core.Tests.Namespaces;

/// <summary>The trampoline stops on the end row of a step list, whatever came before it, and says so.</summary>
[Collection(WholeProcessTests.Name)]
public unsafe class StepListEndTests
{
    [SkippableFact]
    public void Child_that_runs_out_of_steps_stops_on_the_end_row_and_exits_127()
    {
        Skip.IfNot(SpawnTrampoline.Available, "the trampoline runs on x86-64 only");
        using var memory = new NativeArena();
        // One harmless call and the end: no execve, so only the end row can stop the loop.
        var table = memory.Alloc<SyscallStep>(2);
        table[0] = new SyscallStep { Number = SyscallNumber.Of("getpid")!.Value };
        table[1] = SyscallStep.End;
        var args = memory.Alloc<CloneArgs>();
        args->Flags = CloneArgs.Vm | CloneArgs.Vfork; // we sleep until the child exits, and see its result block
        args->ExitSignal = 17;
        args->Stack = (ulong)memory.Block(16384);
        args->StackSize = 16384;
        var result = memory.Alloc<SpawnResult>();
        result->ReportFd = -1;

        var pid = SpawnTrampoline.SpawnBlockingSignals(args, table, result);

        Assert.True(pid > 0, $"clone3 failed: {ErrnoName.Of((int)-pid)}");
        var (_, status) = Sys.Wait((int)pid, block: true);
        Assert.True(result->Failed == &table[1], "the failed row is the end row");
        Assert.Equal(0, result->NegativeErrno);
        Assert.Equal(127, (status >> 8) & 0xff);
    }
}
