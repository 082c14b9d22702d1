using System.Runtime.InteropServices;
using System.Text;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Processes;

/// <summary>
/// What `ps` shows for this process: its arguments (/proc/PID/cmdline, `ps -o args`) and its name (/proc/PID/comm,
/// `ps -o comm`, `top`). A spare shim is started as `containerps-runtime spare` before anyone knows its container; once
/// it takes one it says which, as conmon's arguments do, so `ps` tells the shims apart.
/// <para>
/// The kernel reads the arguments from the memory that mm->arg_start..arg_end names: at first the strings on the
/// initial stack, sized for the arguments the process was started with, too small for an id and a name. So the new
/// arguments go into a buffer of their own, kept for the life of the process, and prctl(PR_SET_MM, PR_SET_MM_MAP)
/// points the range there. Of the ways to move the range it is the one that needs no capability (PR_SET_MM_ARG_START
/// needs CAP_SYS_RESOURCE, which a root in a container may lack), at the price of restating the rest of the memory
/// layout as it is: /proc/self/stat has it, and brk(0) the current break.
/// </para>
/// </summary>
public static unsafe class ProcessTitle
{
    private const int PR_SET_NAME = 15;
    private const int PR_SET_MM = 35;
    private const int PR_SET_MM_MAP = 14;
    private const int CommLength = 15; // TASK_COMM_LEN less its NUL

    /// <summary>struct prctl_mm_map (linux/prctl.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryMap
    {
        public ulong StartCode, EndCode, StartData, EndData, StartBrk, Brk, StartStack, ArgStart, ArgEnd, EnvStart, EnvEnd, Auxv;
        public uint AuxvSize, ExeFd;
    }

    /// <summary>Shows <paramref name="arguments"/> as this process's command line and <paramref name="name"/> (cut to 15 bytes) as its name.</summary>
    /// <returns>False when the old command line stays (a kernel without CONFIG_CHECKPOINT_RESTORE, no /proc); the name is set either way.</returns>
    public static bool Set(IReadOnlyList<string> arguments, string name)
    {
        SetName(name);
        // /proc/self/stat fields: startcode, endcode, startstack, start_data, end_data, start_brk, env_start, env_end.
        if (ProcStat.Numbers(Environment.ProcessId, 26, 27, 28, 45, 46, 47, 50, 51) is not { } layout)
        {
            return false; // no /proc to read it from
        }
        // NUL after every argument, the last included: the kernel then reads the range as plain arguments.
        var bytes = Encoding.UTF8.GetBytes(string.Join('\0', arguments) + "\0");
        var buffer = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(buffer, bytes.Length));
        var map = new MemoryMap
        {
            StartCode = layout[0],
            EndCode = layout[1],
            StartStack = layout[2],
            StartData = layout[3],
            EndData = layout[4],
            StartBrk = layout[5],
            // Read last, just before the call: the kernel sets every member, and the break is the one that moves.
            Brk = Sys.CurrentBreak(),
            ArgStart = (ulong)buffer,
            ArgEnd = (ulong)buffer + (ulong)bytes.Length,
            EnvStart = layout[6],
            EnvEnd = layout[7],
            ExeFd = uint.MaxValue, // -1: /proc/self/exe stays
        };
        try
        {
            Sys.Prctl(PR_SET_MM, PR_SET_MM_MAP, (ulong)&map, (ulong)sizeof(MemoryMap));
            return true;
        }
        catch (NativeException)
        {
            // Only what ps shows is at stake: the old arguments stay.
            NativeMemory.Free(buffer);
            return false;
        }
    }

    private static void SetName(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        Span<byte> comm = stackalloc byte[CommLength + 1];
        bytes.AsSpan(0, Math.Min(bytes.Length, CommLength)).CopyTo(comm);
        fixed (byte* text = comm)
        {
            Sys.Prctl(PR_SET_NAME, (ulong)text);
        }
    }
}
