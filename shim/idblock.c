// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "cleanup.h"
#include "idblock.h"
#include "staging.h"

#define IDS_DIR    STAGING_ROOT "/ids"
#define BLOCK_FILE "idblock"
#define ID_BLOCK   65536

/* A small file of ours, NUL-terminated, or NULL. */
static char *read_small(const char *path, size_t cap)
{
        struct hr_error ignored = {0};
        struct stat st;
        char *buf = NULL;
        size_t len;
        if (file_read_at(AT_FDCWD, path, cap, &buf, &len, &st, &ignored) < 0) {
                hr_error_clear(&ignored);
                return NULL;
        }
        return buf;
}

/* /etc/subuid and /etc/subgid lines are "name:start:count". The pool
 * must not overlap another user's range; the entry of ID_OWNER (made by
 * the install step, shim/install-ids.sh) is the pool's own reservation. */
static int check_subids(const char *file, long long base, long long end, struct hr_error *err)
{
        FILE *f = fopen(file, "re");
        char *line = NULL;
        size_t cap = 0;
        int rc = 0;
        if (f == NULL)
                return errno == ENOENT ? 0 : hr_fail_errno(err, errno, "open %s", file);
        while (rc == 0 && getline(&line, &cap, f) > 0) {
                char *c1 = strchr(line, ':');
                char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
                long long start, count;
                if (c2 == NULL || ((size_t)(c1 - line) == strlen(ID_OWNER) &&
                                   strncmp(line, ID_OWNER, strlen(ID_OWNER)) == 0))
                        continue;
                start = strtoll(c1 + 1, NULL, 10);
                count = strtoll(c2 + 1, NULL, 10);
                if (start < end && base < start + count)
                        rc = hr_fail(
                            err,
                            "the id pool %lld-%lld (userns.hostId, blocks) overlaps %.*s's "
                            "range %lld-%lld in %s: that user could signal the "
                            "containers' processes; move the pool",
                            base, end - 1, (int)(c1 - line), line, start, start + count - 1, file);
        }
        free(line);
        fclose(f);
        return rc;
}

/* The block this container already holds (a retried create), or -1. */
static long long held_block(const char *dir)
{
        cleanup_free char *path = NULL;
        cleanup_free char *text = NULL;
        char *end;
        long long n;
        if (asprintf(&path, "%s/%s", dir, BLOCK_FILE) < 0)
                return -1;
        text = read_small(path, 32);
        if (text == NULL)
                return -1;
        n = strtoll(text, &end, 10);
        return end != text && (*end == '\0' || *end == '\n') && n >= 0 ? n : -1;
}

static int record_block(const char *dir, long long n, struct hr_error *err)
{
        cleanup_close int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct stat like = {.st_mode = S_IFREG | 0600, .st_uid = geteuid(), .st_gid = getegid()};
        char text[32];
        int len = snprintf(text, sizeof(text), "%lld\n", n);
        if (dirfd < 0)
                return hr_fail_errno(err, errno, "open %s", dir);
        return file_replace_at(dirfd, BLOCK_FILE, text, (size_t)len, &like, err);
}

/* Claim block n for dir: O_EXCL makes two creates never get the same. 1 on
 * success, 0 when taken, -1 on error. */
static int try_claim(int ids, long long n, const char *dir, struct hr_error *err)
{
        char name[32];
        int fd;
        ssize_t w;
        snprintf(name, sizeof(name), "%lld", n);
        fd = openat(ids, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return errno == EEXIST ? 0
                                       : hr_fail_errno(err, errno, "claim %s/%s", IDS_DIR, name);
        w = write_all(fd, dir, strlen(dir));
        if (close(fd) < 0 || w < 0) {
                unlinkat(ids, name, 0);
                return hr_fail(err, "cannot write the claim %s/%s", IDS_DIR, name);
        }
        return 1;
}

/* Does claim n name dir? */
static bool claim_is(long long n, const char *dir)
{
        cleanup_free char *claim = NULL;
        cleanup_free char *owner = NULL;
        if (asprintf(&claim, "%s/%lld", IDS_DIR, n) < 0)
                return false;
        owner = read_small(claim, 4096);
        return owner != NULL && strcmp(owner, dir) == 0;
}

int idblock_claim(const char *dir, const struct id_pool *pool, long long *host_id,
                  struct hr_error *err)
{
        cleanup_close int ids = -1;
        long long held = held_block(dir);
        long long first = pool->base / ID_BLOCK, n;
        long long end = pool->base + pool->blocks * ID_BLOCK;
        /* claims are named by the block's place in the whole id space, so
         * that two profiles' pools can never hand out overlapping ranges */
        if (pool->size != ID_BLOCK || pool->base % ID_BLOCK != 0)
                return hr_fail(err,
                               "idRange exclusive takes blocks of %d ids from a multiple of %d "
                               "(userns.size %lld, hostId %lld)",
                               ID_BLOCK, ID_BLOCK, pool->size, pool->base);
        if (check_subids("/etc/subuid", pool->base, end, err) < 0 ||
            check_subids("/etc/subgid", pool->base, end, err) < 0)
                return -1;
        if (held >= first && held < first + pool->blocks && claim_is(held, dir)) {
                *host_id = held * ID_BLOCK;
                return 0;
        }
        if (staging_dir_make(dir, err) < 0)
                return -1;
        if (mkdir(IDS_DIR, 0700) < 0 && errno != EEXIST)
                return hr_fail_errno(err, errno, "mkdir %s", IDS_DIR);
        ids = open(IDS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (ids < 0)
                return hr_fail_errno(err, errno, "open %s", IDS_DIR);
        /* the record comes first: a process killed between the two leaves a
         * claim its container's directory names, which release finds */
        for (n = first; n < first + pool->blocks; n++) {
                int r = record_block(dir, n, err);
                if (r == 0)
                        r = try_claim(ids, n, dir, err);
                if (r < 0)
                        return -1;
                if (r == 0)
                        continue;
                *host_id = n * ID_BLOCK;
                return 0;
        }
        idblock_release(dir, err);
        return hr_fail(err, "every one of the %lld id blocks is in use (userns.blocks)",
                       pool->blocks);
}

int idblock_gc(FILE *out, struct hr_error *err)
{
        DIR *d = opendir(IDS_DIR);
        struct dirent *e;
        int rc = 0;
        if (d == NULL)
                return errno == ENOENT ? 0 : hr_fail_errno(err, errno, "open %s", IDS_DIR);
        while (rc == 0 && (e = readdir(d)) != NULL) {
                cleanup_free char *claim = NULL;
                cleanup_free char *owner = NULL;
                struct stat st;
                if (e->d_name[0] == '.' || asprintf(&claim, "%s/%s", IDS_DIR, e->d_name) < 0)
                        continue;
                /* a claim is made after its container's directory, and
                 * released before it goes: one without is left over */
                owner = read_small(claim, 4096);
                if (owner == NULL || owner[0] != '/' || stat(owner, &st) == 0 || errno != ENOENT)
                        continue;
                if (unlinkat(dirfd(d), e->d_name, 0) < 0 && errno != ENOENT)
                        rc = hr_fail_errno(err, errno, "remove %s", claim);
                else if (out != NULL)
                        fprintf(out, "released id block %s of %s\n", e->d_name, owner);
        }
        closedir(d);
        return rc;
}

int idblock_release(const char *dir, struct hr_error *err)
{
        cleanup_free char *claim = NULL;
        cleanup_free char *owner = NULL;
        cleanup_free char *mine = NULL;
        long long n = held_block(dir);
        if (n < 0)
                return 0;
        if (asprintf(&claim, "%s/%lld", IDS_DIR, n) < 0 ||
            asprintf(&mine, "%s/%s", dir, BLOCK_FILE) < 0)
                return hr_fail(err, "out of memory");
        /* the claim is ours only if it names this container */
        owner = read_small(claim, 4096);
        if (owner != NULL && strcmp(owner, dir) == 0 && unlink(claim) < 0 && errno != ENOENT)
                return hr_fail_errno(err, errno, "release %s", claim);
        if (unlink(mine) < 0 && errno != ENOENT)
                return hr_fail_errno(err, errno, "remove %s", mine);
        /* the pool's directory goes with the last claim */
        if (rmdir(IDS_DIR) < 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
                return hr_fail_errno(err, errno, "remove %s", IDS_DIR);
        return 0;
}
