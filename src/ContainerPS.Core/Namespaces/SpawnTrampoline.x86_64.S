// The x86-64 code that SpawnTrampoline.cs holds as bytes: clone3, then in the child the prepared steps until
// execve replaces it. Assemble with `clang --target=x86_64-linux-gnu -c`; the .text section is the bytes
// (SpawnTrampolineSourceTests compares them). No stack, no calls: a vfork-like child shares the parent's memory,
// and the loop must not touch what the parent's thread will find when it resumes.
//
// long spawn(clone_args *args, size_t size, SyscallStep *steps, SpawnResult *result)
//   args, size: clone3's own arguments, already in rdi and rsi where the syscall wants them.
//   A step is 64 bytes: number, six arguments, flags (SyscallStepFlags); a number of -1 ends the list.
//   The result block: the failed step's address, its -errno, the report descriptor (or -1). A clone3 row flagged
//   ParentReports uses it too: its parent writes the row and the new pid, and exits 0, while the new child goes on.
// Returns the child's pid, or -errno of clone3. The child never returns.

    .intel_syntax noprefix
    .text
    .globl spawn
spawn:
    mov r9, rdx                 // steps, kept across the syscall
    mov r8, rcx                 // result block
    mov eax, 435                // clone3
    syscall
    test rax, rax
    jnz done                    // the parent (or clone3 failed)
    mov rbx, r9                 // the child
    mov rbp, r8
    xor r12d, r12d              // the previous step's result
step:
    mov rax, [rbx]              // number
    cmp rax, -1                 // the end of the list?
    je end
    mov rdi, [rbx+8]            // six arguments
    test byte ptr [rbx+56], 4   // OnPreviousResult?
    jz 1f
    mov rdi, r12
1:  mov rsi, [rbx+16]
    mov rdx, [rbx+24]
    mov r10, [rbx+32]
    mov r8, [rbx+40]
    mov r9, [rbx+48]
    syscall
    mov r12, rax
    cmp rax, -4095
    jae failed
    test byte ptr [rbx+56], 8   // MustReturnData?
    jz 2f
    test rax, rax
    jle fatal                   // 0: end of file
2:  test byte ptr [rbx+56], 16  // ParentReports? (a clone3 row)
    jz next
    test rax, rax
    jz next                     // the new child goes on with the list
    xor r13d, r13d              // its parent reports the child's pid and is done: exit 0
    jmp report
next:
    add rbx, 64
    jmp step
failed:
    test byte ptr [rbx+56], 1   // MayFail?
    jnz next
    test byte ptr [rbx+56], 2   // MayBeMissing?
    jz fatal
    cmp rax, -2                 // ENOENT
    je next
fatal:
    mov r13d, 127
report:
    mov [rbp], rbx              // which step
    mov [rbp+8], rax            // -errno (0: end of file, or the end of the list), or the pid a clone3 row made
    mov rdi, [rbp+16]           // report descriptor
    test rdi, rdi
    js exit
    mov eax, 1                  // write(report, block, 16)
    mov rsi, rbp
    mov edx, 16
    syscall
exit:
    mov eax, 231                // exit_group(127), or 0 after a clone3 row's report
    mov edi, r13d
    syscall
done:
    ret
end:
    xor eax, eax                // the list ran out without an execve: a failure of the end row, errno 0
    jmp fatal
