// SPDX-License-Identifier: GPL-2.0-or-later
/* A fresh sysfs, proc or mqueue for a namespace the container joins but its
 * own user namespace does not own (plan.h, struct staged_kernfs).
 *
 * The kernel gives each of these filesystems the namespace of the process
 * that creates it: sysfs its network namespace, mqueue its ipc namespace.
 * The creator needs CAP_SYS_ADMIN in the user namespace owning that
 * namespace, which host root has in every one. So a child enters the
 * namespace, creates the filesystem with
 * fsopen/fsmount, nosuid,nodev,noexec (and read-only when asked), and
 * attaches it at the target in the mount namespace it shares with us. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "kernfs.h"

/* Tell the parent what failed (one short line of our own), and exit. */
__attribute__((format(printf, 3, 4))) static _Noreturn void child_fail(int report, int e,
                                                                       const char *fmt, ...)
{
        char msg[256];
        va_list ap;
        int n;
        va_start(ap, fmt);
        n = vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (n > 0 && (size_t)n < sizeof(msg) - 64)
                snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(e));
        if (write(report, msg, strnlen(msg, sizeof(msg))) < 0)
                _exit(2);
        _exit(1);
}

static _Noreturn void create_and_attach(int report, const struct staged_kernfs *k)
{
        unsigned int attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                             (k->ro ? MOUNT_ATTR_RDONLY : 0);
        int fs = fsopen(k->fstype, FSOPEN_CLOEXEC);
        int mnt;
        if (fs < 0)
                child_fail(report, errno, "fsopen %s", k->fstype);
        if (fsconfig(fs, FSCONFIG_SET_STRING, "source", k->fstype, 0) < 0)
                child_fail(report, errno, "name the %s", k->fstype);
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                child_fail(report, errno, "create a %s for %s", k->fstype, k->ns_path);
        if ((mnt = fsmount(fs, FSMOUNT_CLOEXEC, attrs)) < 0)
                child_fail(report, errno, "fsmount %s", k->fstype);
        if (move_mount(mnt, "", AT_FDCWD, k->target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                child_fail(report, errno, "attach the %s at %s", k->fstype, k->target);
        _exit(0);
}

static int wait_for(pid_t pid)
{
        int status;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -1;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static _Noreturn void enter_and_mount(int report, int nsfd, const struct staged_kernfs *k)
{
        if (setns(nsfd, k->nstype) < 0)
                child_fail(report, errno, "enter the namespace %s", k->ns_path);
        create_and_attach(report, k);
}

/* The namespace at k->ns_path, if it is still the one judged. */
static int open_ns(const struct staged_kernfs *k, struct hr_error *err)
{
        struct stat st;
        int fd = open(k->ns_path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return hr_fail_errno(err, errno, "open %s", k->ns_path);
        if (fstat(fd, &st) < 0) {
                int e = errno;
                close(fd);
                return hr_fail_errno(err, e, "stat %s", k->ns_path);
        }
        if (st.st_dev != k->dev || st.st_ino != k->ino) {
                close(fd);
                return hr_fail(err,
                               "%s is no longer the namespace judged (nsfs inode %ju, now %ju)",
                               k->ns_path, (uintmax_t)k->ino, (uintmax_t)st.st_ino);
        }
        return fd;
}

int kernfs_mount(const struct staged_kernfs *k, struct hr_error *err)
{
        cleanup_close int nsfd = open_ns(k, err);
        int pipefd[2];
        char msg[256];
        ssize_t n;
        pid_t pid;
        int rc;
        if (nsfd < 0)
                return -1;
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return hr_fail_errno(err, errno, "pipe");
        if ((pid = fork()) < 0) {
                int e = errno;
                close(pipefd[0]);
                close(pipefd[1]);
                return hr_fail_errno(err, e, "fork");
        }
        if (pid == 0) {
                close(pipefd[0]);
                enter_and_mount(pipefd[1], nsfd, k);
        }
        close(pipefd[1]);
        do
                n = read(pipefd[0], msg, sizeof(msg) - 1);
        while (n < 0 && errno == EINTR);
        close(pipefd[0]);
        rc = wait_for(pid);
        if (n > 0) {
                msg[n] = '\0';
                return hr_fail(err, "%s", msg);
        }
        if (rc < 0)
                return hr_fail(err, "mounting a %s for %s failed", k->fstype, k->ns_path);
        return 0;
}
