/*
 * rusage_exec: run a command as a child and report its own wall time and peak RSS.
 *
 *   rusage_exec REPORT_FILE CMD [ARG...]
 *
 * Why this exists: on Linux a process's ru_maxrss keeps the high-water mark of the memory
 * it had BEFORE exec, i.e. of the process that forked it (exec_mmap saves the old mm's peak).
 * A child forked by the Python harness therefore never reports less than Python's own RSS
 * (a /bin/true started from a 200 MB Python reports ~218 MB). This launcher is small
 * (about 1 MB), so children it forks report their real peak.
 *
 * It forks, execs CMD (stdin/stdout/stderr inherited), reaps it with wait4, and writes one
 * line to REPORT_FILE:
 *   exit=<code> wall_ns=<ns> maxrss_kib=<KiB> utime_us=<us> stime_us=<us>
 * where exit is the child's exit status, or 128+signal. It then exits with that code
 * (127 if CMD could not be executed, reported on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s REPORT_FILE CMD [ARG...]\n", argv[0]);
        return 2;
    }
    long long t0 = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], &argv[2]);
        fprintf(stderr, "rusage_exec: cannot execute %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("wait4");
            return 2;
        }
    }
    long long wall = now_ns() - t0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status)
             : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;

    FILE *rep = fopen(argv[1], "w");
    if (!rep) {
        perror(argv[1]);
        return 2;
    }
    fprintf(rep, "exit=%d wall_ns=%lld maxrss_kib=%ld utime_us=%lld stime_us=%lld\n", code, wall,
            ru.ru_maxrss,
            (long long)ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
            (long long)ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec);
    fclose(rep);
    return code;
}
