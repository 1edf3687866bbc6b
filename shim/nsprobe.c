// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "nsprobe.h"

/* A /proc/PID/?id_map text as an OCI mapping array. */
static int parse_map(const char *file, struct json **out, struct hr_error *err)
{
        FILE *f = fopen(file, "re");
        unsigned long long c, h, n;
        struct json *arr;
        int rc = 0;
        if (f == NULL)
                return hr_fail_errno(err, errno, "open %s", file);
        arr = json_new(JSON_ARRAY);
        while (rc == 0 && arr != NULL && fscanf(f, "%llu %llu %llu", &c, &h, &n) == 3)
                rc = json_array_append(arr,
                                       json_object_of("containerID", json_new_int64((long long)c),
                                                      "hostID", json_new_int64((long long)h),
                                                      "size", json_new_int64((long long)n), NULL),
                                       err);
        fclose(f);
        if (arr == NULL || rc < 0) {
                json_free(arr);
                return rc < 0 ? -1 : hr_fail(err, "out of memory");
        }
        *out = arr;
        return 0;
}

/* The child: join the namespace, say so on ready, wait for done to close. */
_Noreturn static void child(int nsfd, int ready, int done)
{
        char c = setns(nsfd, CLONE_NEWUSER) == 0 ? 'K' : 'E';
        if (write(ready, &c, 1) != 1)
                _exit(1);
        if (read(done, &c, 1) < 0)
                _exit(1);
        _exit(0);
}

static int read_maps(pid_t pid, struct json **uid_map, struct json **gid_map, struct hr_error *err)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
        if (parse_map(path, uid_map, err) < 0)
                return -1;
        snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
        if (parse_map(path, gid_map, err) == 0)
                return 0;
        json_free(*uid_map);
        *uid_map = NULL;
        return -1;
}

int userns_maps(const char *path, struct json **uid_map, struct json **gid_map,
                struct hr_error *err)
{
        cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        int ready[2], done[2];
        pid_t pid;
        char c = 0;
        int rc, status;
        *uid_map = *gid_map = NULL;
        if (fd < 0)
                return hr_fail_errno(err, errno, "open %s", path);
        rc = ioctl(fd, NS_GET_NSTYPE);
        if (rc != CLONE_NEWUSER)
                return hr_fail(err, "%s is not a user namespace", path);
        if (pipe2(ready, O_CLOEXEC) < 0)
                return hr_fail_errno(err, errno, "pipe");
        if (pipe2(done, O_CLOEXEC) < 0) {
                close(ready[0]);
                close(ready[1]);
                return hr_fail_errno(err, errno, "pipe");
        }
        pid = fork();
        if (pid == 0) {
                close(ready[0]);
                close(done[1]); /* else the child's read never sees the end */
                child(fd, ready[1], done[0]);
        }
        close(ready[1]);
        close(done[0]);
        rc = pid < 0 ? hr_fail_errno(err, errno, "fork") : 0;
        if (rc == 0 && (read(ready[0], &c, 1) != 1 || c != 'K'))
                rc = hr_fail(err, "cannot join the user namespace %s to read its maps", path);
        if (rc == 0)
                rc = read_maps(pid, uid_map, gid_map, err);
        close(done[1]); /* the child exits */
        close(ready[0]);
        if (pid > 0 && waitpid(pid, &status, 0) < 0 && rc == 0)
                rc = hr_fail_errno(err, errno, "waitpid");
        return rc;
}

int ns_owner(const char *path, bool *host, dev_t *dev, ino_t *ino)
{
        cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        cleanup_close int owner = -1;
        struct stat o, self;
        if (fd < 0)
                return -1;
        /* the user namespace that owns it (nsfs: an fd of its own) */
        if ((owner = ioctl(fd, NS_GET_USERNS)) < 0)
                return -1;
        if (fstat(owner, &o) < 0 || stat("/proc/self/ns/user", &self) < 0)
                return -1;
        *host = o.st_dev == self.st_dev && o.st_ino == self.st_ino;
        *dev = o.st_dev;
        *ino = o.st_ino;
        return 0;
}
