// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "idmap.h"

static int write_file(const char *path, const char *data, struct hr_error *err)
{
        cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);
        size_t n = strlen(data);
        if (fd < 0)
                return hr_fail_errno(err, errno, "open %s", path);
        if (write(fd, data, n) != (ssize_t)n)
                return hr_fail_errno(err, errno, "write %s", path);
        return 0;
}

/* The child: enter a new user namespace, say so, wait to be released (the
 * parent closing its end of the release pipe). */
static void child(int ready_r, int ready_w, int release_r, int release_w)
{
        char c = 0;
        close(ready_r);
        close(release_w); /* else the read below never sees end of file */
        if (unshare(CLONE_NEWUSER) < 0)
                _exit(1);
        if (write(ready_w, &c, 1) != 1)
                _exit(1);
        (void)!read(release_r, &c, 1);
        _exit(0);
}

static int map_child(pid_t pid, const char *map, int *fd, struct hr_error *err)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
        if (write_file(path, map, err) < 0)
                return -1;
        snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
        if (write_file(path, "deny", err) < 0)
                return -1;
        snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
        if (write_file(path, map, err) < 0)
                return -1;
        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
        *fd = open(path, O_RDONLY | O_CLOEXEC);
        if (*fd < 0)
                return hr_fail_errno(err, errno, "open %s", path);
        return 0;
}

int userns_fd_open(const char *map, int *fd, struct hr_error *err)
{
        int ready[2] = {-1, -1}, release[2] = {-1, -1};
        pid_t pid;
        char c;
        int rc = -1, status;
        *fd = -1;
        if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(release, O_CLOEXEC) < 0) {
                hr_fail_errno(err, errno, "pipe");
                goto out;
        }
        pid = fork();
        if (pid < 0) {
                hr_fail_errno(err, errno, "fork");
                goto out;
        }
        if (pid == 0)
                child(ready[0], ready[1], release[0], release[1]);
        close(ready[1]);
        ready[1] = -1;
        if (read(ready[0], &c, 1) != 1)
                hr_fail(err, "the helper process could not create a user namespace");
        else
                rc = map_child(pid, map, fd, err);
        close(release[1]); /* releases the child */
        release[1] = -1;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
out:
        for (int i = 0; i < 2; i++) {
                if (ready[i] >= 0)
                        close(ready[i]);
                if (release[i] >= 0)
                        close(release[i]);
        }
        if (rc < 0 && *fd >= 0) {
                close(*fd);
                *fd = -1;
        }
        return rc;
}

int idmap_clone(const char *src, int userns_fd, bool rec, int *tree_fd, struct hr_error *err)
{
        struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (__u64)userns_fd};
        unsigned int recursive = rec ? AT_RECURSIVE : 0;
        int fd = open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | recursive);
        *tree_fd = -1;
        if (fd < 0)
                return hr_fail_errno(err, errno, "open_tree %s", src);
        if (mount_setattr(fd, "", AT_EMPTY_PATH | recursive, &attr, sizeof(attr)) < 0) {
                int e = errno;
                close(fd);
                return hr_fail_errno(err, e, "idmapped mount of %s", src);
        }
        *tree_fd = fd;
        return 0;
}

int tree_clone(const char *src, bool rec, int *tree_fd, struct hr_error *err)
{
        *tree_fd = open_tree(AT_FDCWD, src,
                             OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (rec ? AT_RECURSIVE : 0));
        if (*tree_fd < 0)
                return hr_fail_errno(err, errno, "open_tree %s", src);
        return 0;
}

int tree_nosuid_nodev(int tree_fd, bool rec, struct hr_error *err)
{
        struct mount_attr attr = {.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV};
        if (mount_setattr(tree_fd, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &attr,
                          sizeof(attr)) < 0)
                return hr_fail_errno(err, errno, "set nosuid,nodev on a staged volume");
        return 0;
}

int idmap_attach(int tree_fd, const char *dest, struct hr_error *err)
{
        if (move_mount(tree_fd, "", AT_FDCWD, dest, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return hr_fail_errno(err, errno, "attach the idmapped mount at %s", dest);
        return 0;
}
