namespace ContainerPS.Core.Namespaces;

internal static partial class SpawnTrampoline
{
    /// <summary>The x86-64 loop, assembled from SpawnTrampoline.x86_64.S (a test assembles it and compares).</summary>
    internal static readonly byte[] X86_64Code =
    [
        0x49, 0x89, 0xd1,                   // spawn: mov r9, rdx       ; steps, kept across the syscall
        0x49, 0x89, 0xc8,                   // mov r8, rcx              ; result block
        0xb8, 0xb3, 0x01, 0x00, 0x00,       // mov eax, 435             ; clone3
        0x0f, 0x05,                         // syscall
        0x48, 0x85, 0xc0,                   // test rax, rax
        0x0f, 0x85, 0xa7, 0x00, 0x00, 0x00, // jnz done                 ; the parent (or clone3 failed)
        0x4c, 0x89, 0xcb,                   // mov rbx, r9              ; the child
        0x4c, 0x89, 0xc5,                   // mov rbp, r8
        0x45, 0x31, 0xe4,                   // xor r12d, r12d           ; the previous step's result
        0x48, 0x8b, 0x03,                   // step: mov rax, [rbx]     ; number
        0x48, 0x83, 0xf8, 0xff,             // cmp rax, -1              ; the end of the list?
        0x0f, 0x84, 0x92, 0x00, 0x00, 0x00, // je end
        0x48, 0x8b, 0x7b, 0x08,             // mov rdi, [rbx+8]         ; six arguments
        0xf6, 0x43, 0x38, 0x04,             // test byte ptr [rbx+56], 4 ; OnPreviousResult?
        0x74, 0x03,                         // jz 1f
        0x4c, 0x89, 0xe7,                   // mov rdi, r12
        0x48, 0x8b, 0x73, 0x10,             // 1: mov rsi, [rbx+16]
        0x48, 0x8b, 0x53, 0x18,             // mov rdx, [rbx+24]
        0x4c, 0x8b, 0x53, 0x20,             // mov r10, [rbx+32]
        0x4c, 0x8b, 0x43, 0x28,             // mov r8, [rbx+40]
        0x4c, 0x8b, 0x4b, 0x30,             // mov r9, [rbx+48]
        0x0f, 0x05,                         // syscall
        0x49, 0x89, 0xc4,                   // mov r12, rax
        0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff, // cmp rax, -4095
        0x73, 0x21,                         // jae failed
        0xf6, 0x43, 0x38, 0x08,             // test byte ptr [rbx+56], 8 ; MustReturnData?
        0x74, 0x05,                         // jz 2f
        0x48, 0x85, 0xc0,                   // test rax, rax
        0x7e, 0x28,                         // jle fatal                ; 0: end of file
        0xf6, 0x43, 0x38, 0x10,             // 2: test byte ptr [rbx+56], 16 ; ParentReports? (a clone3 row)
        0x74, 0x0a,                         // jz next
        0x48, 0x85, 0xc0,                   // test rax, rax
        0x74, 0x05,                         // jz next                  ; the new child goes on with the list
        0x45, 0x31, 0xed,                   // xor r13d, r13d           ; its parent reports the child's pid and is done: exit 0
        0xeb, 0x1e,                         // jmp report
        0x48, 0x83, 0xc3, 0x40,             // next: add rbx, 64
        0xeb, 0xa4,                         // jmp step
        0xf6, 0x43, 0x38, 0x01,             // failed: test byte ptr [rbx+56], 1 ; MayFail?
        0x75, 0xf4,                         // jnz next
        0xf6, 0x43, 0x38, 0x02,             // test byte ptr [rbx+56], 2 ; MayBeMissing?
        0x74, 0x06,                         // jz fatal
        0x48, 0x83, 0xf8, 0xfe,             // cmp rax, -2              ; ENOENT
        0x74, 0xe8,                         // je next
        0x41, 0xbd, 0x7f, 0x00, 0x00, 0x00, // fatal: mov r13d, 127
        0x48, 0x89, 0x5d, 0x00,             // report: mov [rbp], rbx   ; which step
        0x48, 0x89, 0x45, 0x08,             // mov [rbp+8], rax         ; -errno (0: end of file, or the end of the list), or the pid a clone3 row made
        0x48, 0x8b, 0x7d, 0x10,             // mov rdi, [rbp+16]        ; report descriptor
        0x48, 0x85, 0xff,                   // test rdi, rdi
        0x78, 0x0f,                         // js exit
        0xb8, 0x01, 0x00, 0x00, 0x00,       // mov eax, 1               ; write(report, block, 16)
        0x48, 0x89, 0xee,                   // mov rsi, rbp
        0xba, 0x10, 0x00, 0x00, 0x00,       // mov edx, 16
        0x0f, 0x05,                         // syscall
        0xb8, 0xe7, 0x00, 0x00, 0x00,       // exit: mov eax, 231       ; exit_group(127), or 0 after a clone3 row's report
        0x44, 0x89, 0xef,                   // mov edi, r13d
        0x0f, 0x05,                         // syscall
        0xc3,                               // done: ret
        0x31, 0xc0,                         // end: xor eax, eax        ; the list ran out without an execve: a failure of the end row, errno 0
        0xeb, 0xcb,                         // jmp fatal
    ];
}
