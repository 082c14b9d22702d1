using System.Runtime.InteropServices;

namespace ContainerPS.Core.Namespaces;

/// <summary>struct clone_args of clone3(2); a zero stack means fork-like: the child runs on a copy of ours.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CloneArgs
{
    public const ulong Vm = 0x100, Vfork = 0x4000, Parent = 0x8000, IntoCgroup = 0x200000000;

    public ulong Flags, Pidfd, ChildTid, ParentTid, ExitSignal, Stack, StackSize, Tls, SetTid, SetTidSize, Cgroup;
}
