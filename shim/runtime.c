// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle.h"
#include "runtime.h"

int runtime_check(const char *path, struct hr_error *err)
{
        struct stat rt, self;
        if (path[0] != '/')
                return hr_fail(err, "runtime \"%s\" is not an absolute path", path);
        if (stat(path, &rt) < 0)
                return hr_fail_errno(err, errno, "runtime %s", path);
        if (!S_ISREG(rt.st_mode) || (rt.st_mode & 0111) == 0)
                return hr_fail(err, "runtime %s is not an executable file", path);
        if (stat("/proc/self/exe", &self) < 0)
                return hr_fail_errno(err, errno, "stat /proc/self/exe");
        if (rt.st_dev == self.st_dev && rt.st_ino == self.st_ino)
                return hr_fail(err,
                               "runtime %s is hardened-runc itself; set \"runtime\" in the admin "
                               "config to the real runc",
                               path);
        return 0;
}

int runtime_exec(const char *path, char **argv, struct hr_error *err)
{
        if (runtime_check(path, err) < 0)
                return -1;
        argv[0] = (char *)path;
        execv(path, argv);
        return hr_fail_errno(err, errno, "exec %s", path);
}

/* Signals a caller may send to the runtime's pid to reach the container. */
static const int forwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH};

/* Wait for the child, forwarding signals sent to us on purpose (kill(2),
 * SI_USER or SI_QUEUE); a terminal's own ^C already reaches the child, which
 * shares our process group. */
static int forward_until_exit(pid_t pid, const sigset_t *set, int *status, struct hr_error *err)
{
        for (;;) {
                siginfo_t si;
                int w, sig = sigwaitinfo(set, &si);
                if (sig < 0 && errno == EINTR)
                        continue;
                if (sig < 0)
                        return hr_fail_errno(err, errno, "sigwaitinfo");
                if (sig != SIGCHLD) {
                        if ((si.si_code == SI_USER || si.si_code == SI_QUEUE) &&
                            kill(pid, sig) < 0 && errno != ESRCH)
                                return hr_fail_errno(err, errno, "forward signal %d", sig);
                        continue;
                }
                w = waitpid(pid, status, WNOHANG);
                if (w < 0)
                        return hr_fail_errno(err, errno, "waitpid");
                if (w == pid)
                        return 0;
        }
}

int runtime_run_wait(const char *path, char **argv, int *status, struct hr_error *err)
{
        sigset_t set, old;
        pid_t pid;
        int raw = 0, rc;
        if (runtime_check(path, err) < 0)
                return -1;
        argv[0] = (char *)path;
        sigemptyset(&set);
        sigaddset(&set, SIGCHLD);
        for (size_t i = 0; i < sizeof(forwarded) / sizeof(*forwarded); i++)
                sigaddset(&set, forwarded[i]);
        if (sigprocmask(SIG_BLOCK, &set, &old) < 0)
                return hr_fail_errno(err, errno, "sigprocmask");
        pid = fork();
        if (pid < 0) {
                rc = hr_fail_errno(err, errno, "fork");
                sigprocmask(SIG_SETMASK, &old, NULL);
                return rc;
        }
        if (pid == 0) {
                sigprocmask(SIG_SETMASK, &old, NULL);
                execv(path, argv);
                _exit(127);
        }
        rc = forward_until_exit(pid, &set, &raw, err);
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (rc < 0)
                return -1;
        *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
        return 0;
}

static int wait_exit(pid_t pid, int *raw, struct hr_error *err)
{
        while (waitpid(pid, raw, 0) < 0) {
                if (errno != EINTR)
                        return hr_fail_errno(err, errno, "waitpid");
        }
        return 0;
}

int runtime_capture(const char *path, char **argv, size_t cap, char **out, struct hr_error *err)
{
        int p[2], raw = 0, rc;
        size_t len;
        pid_t pid;
        *out = NULL;
        if (runtime_check(path, err) < 0)
                return -1;
        argv[0] = (char *)path;
        if (pipe2(p, O_CLOEXEC) < 0)
                return hr_fail_errno(err, errno, "pipe");
        pid = fork();
        if (pid < 0) {
                close(p[0]);
                close(p[1]);
                return hr_fail_errno(err, errno, "fork");
        }
        if (pid == 0) {
                int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
                /* the copies are not close-on-exec; the runtime's complaints
                 * are ours to word */
                if (dup2(p[1], STDOUT_FILENO) < 0 || null < 0 || dup2(null, STDERR_FILENO) < 0)
                        _exit(127);
                execv(path, argv);
                _exit(127);
        }
        close(p[1]);
        rc = fd_read_all(p[0], cap, out, &len, err);
        close(p[0]);
        if (wait_exit(pid, &raw, rc < 0 ? NULL : err) < 0 || rc < 0)
                goto fail;
        if (!WIFEXITED(raw) || WEXITSTATUS(raw) != 0) {
                hr_fail(err, "%s %s exited with status %d", path, argv[1] ? argv[1] : "",
                        WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw));
                goto fail;
        }
        return 0;
fail:
        free(*out);
        *out = NULL;
        return -1;
}
