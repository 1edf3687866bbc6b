// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "bundle.h"
#include "cleanup.h"

int bundle_open_dir(const char *path, struct hr_error *err)
{
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return hr_fail_errno(err, errno, "open bundle directory %s", path);
        return fd;
}

int fd_read_all(int fd, size_t cap, char **buf, size_t *len, struct hr_error *err)
{
        size_t size = 0, alloc = 8192;
        char *data = malloc(alloc + 1);
        if (data == NULL)
                return hr_fail(err, "out of memory");
        for (;;) {
                ssize_t n;
                if (size == alloc) {
                        char *bigger;
                        if (alloc > cap) /* read one byte past cap to see growth */
                                break;
                        alloc *= 2;
                        bigger = realloc(data, alloc + 1);
                        if (bigger == NULL) {
                                free(data);
                                return hr_fail(err, "out of memory");
                        }
                        data = bigger;
                }
                n = read(fd, data + size, alloc - size);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        free(data);
                        return hr_fail_errno(err, errno, "read");
                }
                if (n == 0)
                        break;
                size += (size_t)n;
        }
        if (size > cap) {
                free(data);
                return hr_fail(err, "more than the %zu byte limit", cap);
        }
        data[size] = '\0';
        *buf = data;
        *len = size;
        return 0;
}

int file_read_at(int dirfd, const char *name, size_t cap, char **buf, size_t *len, struct stat *st,
                 struct hr_error *err)
{
        /* O_NONBLOCK: opening a FIFO planted as config.json must not hang us. */
        cleanup_close int fd =
            openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        struct stat local;
        if (st == NULL)
                st = &local;
        if (fd < 0) {
                if (errno == ELOOP)
                        return hr_fail(err, "is a symbolic link (refused)");
                return hr_fail_errno(err, errno, "open");
        }
        if (fstat(fd, st) < 0)
                return hr_fail_errno(err, errno, "stat");
        if (!S_ISREG(st->st_mode))
                return hr_fail(err, "not a regular file (refused)");
        if ((size_t)st->st_size > cap)
                return hr_fail(err, "%lld bytes, over the %zu byte limit", (long long)st->st_size,
                               cap);
        return fd_read_all(fd, cap, buf, len, err);
}

int json_load_at(int dirfd, const char *name, const char *display_path, enum json_kind kind,
                 struct json **out, struct stat *st, struct hr_error *err)
{
        cleanup_free char *buf = NULL;
        size_t len;
        if (file_read_at(dirfd, name, JSON_MAX_SIZE, &buf, &len, st, err) < 0)
                return hr_error_prefix(err, "%s", display_path);
        if ((kind == JSON_OCI ? json_parse : json_parse_own)(buf, len, out, err) < 0)
                return hr_error_prefix(err, "%s", display_path);
        return 0;
}

int json_load_path(const char *path, enum json_kind kind, struct json **out, struct hr_error *err)
{
        cleanup_free char *dir = strdup(path);
        cleanup_close int dirfd = -1;
        char *slash;
        const char *base;
        if (dir == NULL)
                return hr_fail(err, "out of memory");
        slash = strrchr(dir, '/');
        /* O_PATH: reading a file needs search permission on its directory,
         * not read permission (a profile in a 0711 directory) */
        if (slash == NULL) {
                base = path;
                dirfd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        } else {
                base = path + (slash - dir) + 1;
                *slash = '\0';
                dirfd = open(slash == dir ? "/" : dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        }
        if (dirfd < 0)
                /* dir is cleanup_free (freed on return); cppcheck does not model the cleanup
                 * attribute */
                // cppcheck-suppress memleak
                return hr_fail_errno(err, errno, "%s: open directory", path);
        /* as above: dir is cleanup_free */
        // cppcheck-suppress memleak
        return json_load_at(dirfd, base, path, kind, out, NULL, err);
}

static int temp_name(const char *name, char **out, struct hr_error *err)
{
        unsigned char rnd[8];
        char hex[17];
        ssize_t n = getrandom(rnd, sizeof(rnd), 0);
        if (n != (ssize_t)sizeof(rnd))
                return hr_fail_errno(err, n < 0 ? errno : EIO, "getrandom");
        for (size_t i = 0; i < sizeof(rnd); i++)
                snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
        if (asprintf(out, ".%s" TEMP_INFIX "%s", name, hex) < 0)
                return hr_fail(err, "out of memory");
        return 0;
}

int write_all(int fd, const char *data, size_t len)
{
        while (len > 0) {
                ssize_t n = write(fd, data, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -1;
                data += n;
                len -= (size_t)n;
        }
        return 0;
}

/* Write, match owner and mode, and sync the temporary file. */
static int fill_temp(int fd, const char *data, size_t len, const struct stat *like,
                     struct hr_error *err)
{
        if (write_all(fd, data, len) < 0)
                return hr_fail_errno(err, errno, "write");
        if ((like->st_uid != geteuid() || like->st_gid != getegid()) &&
            fchown(fd, like->st_uid, like->st_gid) < 0)
                return hr_fail_errno(err, errno, "fchown");
        if (fchmod(fd, like->st_mode & 07777) < 0)
                return hr_fail_errno(err, errno, "fchmod");
        if (fsync(fd) < 0)
                return hr_fail_errno(err, errno, "fsync");
        return 0;
}

/* The new content, complete and synced, under the name tmp in dirfd. It is
 * written as an unnamed file (O_TMPFILE) and linked in only when complete,
 * so a kill while it is written leaves nothing; a filesystem without
 * O_TMPFILE gets a named file from the start. *named: tmp exists now. */
static int make_temp(int dirfd, const char *tmp, const char *data, size_t len,
                     const struct stat *like, bool *named, struct hr_error *err)
{
        char proc[64];
        int fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        int rc;
        *named = fd < 0;
        if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
                return hr_fail_errno(err, errno, "create a temporary file");
        if (fd < 0 && (fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                   0600)) < 0) {
                *named = false;
                return hr_fail_errno(err, errno, "create %s", tmp);
        }
        rc = fill_temp(fd, data, len, like, err);
        if (rc == 0 && !*named) {
                /* through /proc: linkat's AT_EMPTY_PATH wants CAP_DAC_READ_SEARCH */
                snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
                if (linkat(AT_FDCWD, proc, dirfd, tmp, AT_SYMLINK_FOLLOW) < 0)
                        rc = hr_fail_errno(err, errno, "link %s", tmp);
                else
                        *named = true;
        }
        if (close(fd) < 0 && rc == 0)
                rc = hr_fail_errno(err, errno, "close");
        return rc;
}

int file_replace_at(int dirfd, const char *name, const char *data, size_t len,
                    const struct stat *like, struct hr_error *err)
{
        cleanup_free char *tmp = NULL;
        bool named = false;
        if (temp_name(name, &tmp, err) < 0)
                return hr_error_prefix(err, "replace %s", name);
        if (make_temp(dirfd, tmp, data, len, like, &named, err) < 0)
                goto unlink;
        if (renameat(dirfd, tmp, dirfd, name) < 0) {
                hr_fail_errno(err, errno, "rename");
                goto unlink;
        }
        /* The rename is only durable once the directory is synced. */
        if (fsync(dirfd) < 0)
                return hr_fail_errno(err, errno, "replace %s: fsync directory", name);
        return 0;
unlink:
        if (named && unlinkat(dirfd, tmp, 0) < 0 && errno != ENOENT)
                hr_error_prefix(err, "(temporary %s left behind: %s)", tmp, strerror(errno));
        return hr_error_prefix(err, "replace %s", name);
}
