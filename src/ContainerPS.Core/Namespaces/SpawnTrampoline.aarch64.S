// The arm64 code that SpawnTrampoline.Aarch64.cs holds as bytes, the same loop as SpawnTrampoline.x86_64.S: clone3,
// then in the child the prepared steps until execve replaces it. Assemble with `clang --target=aarch64-linux-gnu -c`;
// the .text section is the bytes (SpawnTrampolineSourceTests compares them). No stack, no calls, and only registers
// the caller does not expect kept (x8-x14): a vfork-like child shares the parent's memory.
//
// long spawn(clone_args *args, size_t size, SyscallStep *steps, SpawnResult *result)
//   args, size: clone3's own arguments, already in x0 and x1 where svc wants them; the call number goes in x8.
//   svc keeps every register but x0, so the step pointer, the result block and the flags survive each call.
//   A step is 64 bytes: number, six arguments, flags (SyscallStepFlags); a number of -1 ends the list.
//   The result block: the failed step's address, its -errno, the report descriptor (or -1). A clone3 row flagged
//   ParentReports uses it too: its parent writes the row and the new pid, and exits 0, while the new child goes on.
// Returns the child's pid, or -errno of clone3. The child never returns.

    .text
    .globl spawn
spawn:
    mov x9, x2                  // steps
    mov x10, x3                 // result block
    mov x8, #435                // clone3
    svc #0
    cbnz x0, done               // the parent (or clone3 failed)
    mov x12, xzr                // the child; the previous step's result
step:
    ldr x8, [x9]                // number
    cmn x8, #1                  // the end of the list?
    b.eq end
    ldr x13, [x9, #56]          // flags
    ldr x0, [x9, #8]            // six arguments
    tbz x13, #2, 1f             // OnPreviousResult?
    mov x0, x12
1:  ldp x1, x2, [x9, #16]
    ldp x3, x4, [x9, #32]
    ldr x5, [x9, #48]
    svc #0
    mov x12, x0
    cmn x0, #4095               // -4095..-1 is an error
    b.hs failed
    tbz x13, #3, 2f             // MustReturnData?
    cmp x0, #0
    b.le fatal                  // 0: end of file
2:  tbz x13, #4, next           // ParentReports? (a clone3 row)
    cbz x0, next                // the new child goes on with the list
    mov x14, xzr                // its parent reports the child's pid and is done: exit 0
    b report
next:
    add x9, x9, #64
    b step
failed:
    tbnz x13, #0, next          // MayFail?
    tbz x13, #1, fatal          // MayBeMissing?
    cmn x0, #2                  // ENOENT
    b.eq next
fatal:
    mov x14, #127
report:
    stp x9, x0, [x10]           // which step, -errno (0: end of file, or the end of the list), or the new pid
    ldr x0, [x10, #16]          // report descriptor
    tbnz x0, #63, exit
    mov x1, x10                 // write(report, block, 16)
    mov x2, #16
    mov x8, #64
    svc #0
exit:
    mov x0, x14                 // exit_group(127), or 0 after a clone3 row's report
    mov x8, #94
    svc #0
done:
    ret
end:
    mov x0, xzr                 // the list ran out without an execve: a failure of the end row, errno 0
    b fatal
