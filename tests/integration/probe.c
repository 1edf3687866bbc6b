// SPDX-License-Identifier: GPL-2.0-or-later
/* A statically linked probe run inside test containers: for each name on
 * the command line it makes that system call and prints "name: ok" or
 * "name: <errno name>", so the test reads what the kernel (and the seccomp
 * filter) answered, not what the spec says. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long try_keyctl(void)
{
        /* KEYCTL_GET_KEYRING_ID of the session keyring, creating none */
        return syscall(SYS_keyctl, 0, -3, 0);
}

static long try_add_key(void)
{
        return syscall(SYS_add_key, "user", "hr-probe", "x", 1, -3);
}

static long try_bpf(void)
{
        char attr[128] = {0};
        return syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, attr, sizeof(attr));
}

static long try_unshare_user(void)
{
        return unshare(CLONE_NEWUSER);
}

static long try_clone_newuser(void)
{
        long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (pid == 0)
                _exit(0);
        if (pid > 0)
                waitpid((pid_t)pid, NULL, 0);
        return pid < 0 ? -1 : 0;
}

static long try_mount(void)
{
        return mount("none", "/tmp", "tmpfs", 0, NULL);
}

static long try_getpid(void)
{
        return getpid() > 0 ? 0 : -1;
}

static const struct {
        const char *name;
        long (*call)(void);
} probes[] = {
    {"keyctl", try_keyctl},
    {"add_key", try_add_key},
    {"bpf", try_bpf},
    {"unshare_user", try_unshare_user},
    {"clone_newuser", try_clone_newuser},
    {"mount", try_mount},
    {"getpid", try_getpid},
};

int main(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                int found = 0;
                for (size_t p = 0; p < sizeof(probes) / sizeof(*probes); p++) {
                        if (strcmp(argv[i], probes[p].name) != 0)
                                continue;
                        found = 1;
                        errno = 0;
                        if (probes[p].call() < 0)
                                printf("%s: %s\n", argv[i],
                                       strerrorname_np(errno) ? strerrorname_np(errno) : "?");
                        else
                                printf("%s: ok\n", argv[i]);
                }
                if (!found)
                        printf("%s: unknown probe\n", argv[i]);
        }
        return 0;
}
