/* Makes raw system calls and prints the errno of each, for the seccomp tests: built static by the test and run
 * inside a container (or a filtered child), so what it prints is what the filter and the kernel answer.
 * Each argument is NAME:NUMBER[:ARG0]; every other argument is -1, which an allowed call refuses as a bad
 * descriptor, pointer or value (EBADF, EFAULT, EINVAL), so only a filter answers with the profile's errno.
 * Prints "NAME ERRNO" (or "NAME:ARG0 ERRNO") per call, 0 when the call succeeded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char *name = strtok(argv[i], ":");
        char *number = strtok(NULL, ":");
        char *first = strtok(NULL, ":");
        if (name == NULL || number == NULL) {
            fprintf(stderr, "usage: %s NAME:NUMBER[:ARG0]...\n", argv[0]);
            return 2;
        }
        unsigned long arg0 = first ? strtoul(first, NULL, 0) : (unsigned long)-1;
        errno = 0;
        long result = syscall(strtol(number, NULL, 0), arg0, -1L, -1L, -1L, -1L, -1L);
        printf("%s%s%s %d\n", name, first ? ":" : "", first ? first : "", result == -1 ? errno : 0);
        fflush(stdout); /* a call the filter kills the process for must not take earlier lines with it */
    }
    return 0;
}
