// The arm64 clone trampoline (src/ContainerPS.Core/Namespaces/SpawnTrampoline.aarch64.S, linked in) run as PID 1 of
// an emulated arm64 machine by run-trampoline.sh: the byte test proves the C# bytes are that source; this proves the
// source does on arm64 what SpawnTrampoline.cs says. Each case prints ok or FAIL; the last line says which it was.
// Step rows are {number, six arguments, flags} as SyscallStep lays them out; arm64 numbers (write 64, close 57,
// openat 56, execve 221, getpid 172, clone3 435); flags as SyscallStepFlags (1 MayFail, 16 ParentReports).
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/reboot.h>
#include <sys/mount.h>
#include <linux/sched.h>
#include <signal.h>
#include <fcntl.h>
extern long spawn(void*, unsigned long, void*, void*);
struct step { long n, a[6], flags; };
struct result { struct step* failed; long value; long fd; };
static const char* self = "/init";
static int fails = 0;
#define CHECK(c, msg) do { if (!(c)) { printf("FAIL: %s\n", msg); fails++; } else printf("ok: %s\n", msg); } while (0)
static struct step row(long n, long a0, long a1, long a2, long flags) { struct step s = {0}; s.n = n; s.a[0] = a0; s.a[1] = a1; s.a[2] = a2; s.flags = flags; return s; }
static long run(struct step* steps, int p[2], struct result* got) {
  struct clone_args ca; memset(&ca, 0, sizeof ca); ca.exit_signal = SIGCHLD;
  struct result r = { 0, 0, p[1] };
  long pid = spawn(&ca, sizeof ca, steps, &r);
  close(p[1]);
  memset(got, 0, sizeof *got);
  if (read(p[0], got, 16) != 16) got->failed = 0;
  return pid;
}
int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "exit") == 0) { printf("exec'd: %s\n", argv[2]); return atoi(argv[2]); }
  static char* exec42[] = { "/init", "exit", "42", 0 };
  static char* exec7[] = { "/init", "exit", "7", 0 };
  static char* env[] = { 0 };
  int p[2]; struct result got; int st; long pid;
  // 1: a step, a step that may fail, then execve: the child becomes the program and exits 42; the report pipe closes.
  struct step s1[4] = { row(64, 1, (long)"child runs its steps\n", 21, 0), row(57, 999, 0, 0, 1), row(221, (long)self, (long)exec42, (long)env, 0), row(-1, 0, 0, 0, 0) };
  pipe2(p, O_CLOEXEC); pid = run(s1, p, &got); waitpid(pid, &st, 0);
  CHECK(pid > 0 && got.failed == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 42, "steps then execve: exit 42, no report");
  // 2: a step that must succeed fails: (row, -errno) comes back and the child exits 127.
  struct step s2[3] = { row(56, AT_FDCWD, (long)"/nonexistent", O_RDONLY, 0), row(221, (long)self, (long)exec42, (long)env, 0), row(-1, 0, 0, 0, 0) };
  pipe2(p, O_CLOEXEC); pid = run(s2, p, &got); waitpid(pid, &st, 0);
  CHECK(got.failed == &s2[0] && got.value == -2 && WEXITSTATUS(st) == 127, "failed openat: row 0, -ENOENT, exit 127");
  // 3: a list without execve ends at the end row: errno 0, exit 127.
  struct step s3[2] = { row(172, 0, 0, 0, 0), row(-1, 0, 0, 0, 0) };
  pipe2(p, O_CLOEXEC); pid = run(s3, p, &got); waitpid(pid, &st, 0);
  CHECK(got.failed == &s3[1] && got.value == 0 && WEXITSTATUS(st) == 127, "end row: errno 0, exit 127");
  // 4: a ParentReports clone3 row: the child reports the pid it made (our child, CLONE_PARENT) and exits 0; that one execs and exits 7.
  struct clone_args inner; memset(&inner, 0, sizeof inner); inner.flags = CLONE_PARENT;
  struct step s4[4] = { row(435, (long)&inner, sizeof inner, 0, 16), row(64, 1, (long)"grandchild runs on\n", 19, 0), row(221, (long)self, (long)exec7, (long)env, 0), row(-1, 0, 0, 0, 0) };
  pipe2(p, O_CLOEXEC); pid = run(s4, p, &got);
  int st1, st2; waitpid(pid, &st1, 0); long forked = got.value; waitpid(forked, &st2, 0);
  CHECK(got.failed == &s4[0] && forked > 0 && forked != pid && WEXITSTATUS(st1) == 0 && WEXITSTATUS(st2) == 7, "ParentReports: pid reported, forking child exit 0, forked exit 7");
  printf(fails ? "ARM64-TRAMPOLINE-FAILED\n" : "ARM64-TRAMPOLINE-OK\n");
  fflush(stdout);
  reboot(RB_POWER_OFF);
  return 0;
}
