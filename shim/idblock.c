// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "cleanup.h"
#include "idblock.h"
#include "rootless.h"
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

/* Blocks a container shares (one that joins another's user namespace) are
 * held by share files "N.s.<hex>" beside the claim N, each naming its
 * container's directory, which also records the share's name here. */
#define SHARE_FILE "idshare"

/* Serialize releases, hand-overs and shares (claims need no lock: O_EXCL).
 * The lock is STAGING_ROOT's, which outlives the pool's directory. */
static int ids_lock(struct hr_error *err)
{
        int fd = open(STAGING_ROOT, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return hr_fail_errno(err, errno, "open %s", STAGING_ROOT);
        if (flock(fd, LOCK_EX) < 0) {
                close(fd);
                return hr_fail_errno(err, errno, "lock %s", STAGING_ROOT);
        }
        return fd;
}

static bool dir_gone(const char *owner)
{
        struct stat st;
        return owner == NULL || owner[0] != '/' || (stat(owner, &st) < 0 && errno == ENOENT);
}

/* Is name a share file of block n ("N.s.<hex>")? */
static bool share_of(const char *name, long long n)
{
        char prefix[40];
        int len = snprintf(prefix, sizeof(prefix), "%lld.s.", n);
        return strncmp(name, prefix, (size_t)len) == 0;
}

/* Give claim n to a container that shares it and is still there: 1 when
 * handed over, 0 when nobody shares it. */
static int hand_over(int ids, long long n, struct hr_error *err)
{
        DIR *d;
        struct dirent *e;
        int rc = 0, dup_fd = dup(ids);
        char claim[32];
        snprintf(claim, sizeof(claim), "%lld", n);
        if (dup_fd < 0 || (d = fdopendir(dup_fd)) == NULL) {
                if (dup_fd >= 0)
                        close(dup_fd);
                return hr_fail_errno(err, errno, "read %s", IDS_DIR);
        }
        while (rc == 0 && (e = readdir(d)) != NULL) {
                cleanup_free char *path = NULL;
                cleanup_free char *sharer = NULL;
                struct stat like = {
                    .st_mode = S_IFREG | 0600, .st_uid = geteuid(), .st_gid = getegid()};
                if (!share_of(e->d_name, n) || asprintf(&path, "%s/%s", IDS_DIR, e->d_name) < 0)
                        continue;
                sharer = read_small(path, 4096);
                if (!dir_gone(sharer)) {
                        rc = file_replace_at(ids, claim, sharer, strlen(sharer), &like, err) < 0
                                 ? -1
                                 : 1;
                }
                if (rc >= 0 && unlinkat(ids, e->d_name, 0) < 0 && errno != ENOENT)
                        rc = hr_fail_errno(err, errno, "remove %s", path);
        }
        closedir(d);
        return rc;
}

int idblock_share(const char *dir, long long host_id, struct hr_error *err)
{
        cleanup_close int lock = -1;
        cleanup_close int ids = -1;
        cleanup_close int dirfd = -1;
        struct stat like = {.st_mode = S_IFREG | 0600, .st_uid = geteuid(), .st_gid = getegid()};
        long long n = host_id / ID_BLOCK;
        unsigned char rnd[8];
        char name[64];
        int fd;
        ssize_t w;
        if (host_id < 0 || host_id % ID_BLOCK != 0)
                return 0; /* not one of our blocks */
        if (staging_dir_make(dir, err) < 0 || (lock = ids_lock(err)) < 0)
                return -1;
        ids = open(IDS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        snprintf(name, sizeof(name), "%lld", n);
        if (ids < 0 || faccessat(ids, name, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
                return 0; /* no claim: a shared range (idRange shared), nothing to hold */
        if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
                return hr_fail_errno(err, errno, "getrandom");
        snprintf(name, sizeof(name), "%lld.s.%02x%02x%02x%02x%02x%02x%02x%02x", n, rnd[0], rnd[1],
                 rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
        if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                return hr_fail_errno(err, errno, "open %s", dir);
        /* the records first, as for a claim */
        if (record_block(dir, n, err) < 0 ||
            file_replace_at(dirfd, SHARE_FILE, name, strlen(name), &like, err) < 0)
                return -1;
        fd = openat(ids, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return hr_fail_errno(err, errno, "share %s/%s", IDS_DIR, name);
        w = write_all(fd, dir, strlen(dir));
        if (close(fd) < 0 || w < 0) {
                unlinkat(ids, name, 0); /* no half-written share stays */
                return hr_fail(err, "cannot write the share %s/%s", IDS_DIR, name);
        }
        return 0;
}

/* Drop dir's share of block n, if it has one. */
static int drop_share(int ids, const char *dir, struct hr_error *err)
{
        cleanup_free char *record = NULL;
        cleanup_free char *name = NULL;
        cleanup_free char *path = NULL;
        cleanup_free char *sharer = NULL;
        if (asprintf(&record, "%s/%s", dir, SHARE_FILE) < 0)
                return hr_fail(err, "out of memory");
        if ((name = read_small(record, 64)) == NULL)
                return 0;
        if (strchr(name, '/') == NULL && name[0] != '.' &&
            asprintf(&path, "%s/%s", IDS_DIR, name) >= 0) {
                sharer = read_small(path, 4096);
                if (sharer != NULL && strcmp(sharer, dir) == 0 && unlinkat(ids, name, 0) < 0 &&
                    errno != ENOENT)
                        return hr_fail_errno(err, errno, "remove %s", path);
        }
        if (unlink(record) < 0 && errno != ENOENT)
                return hr_fail_errno(err, errno, "remove %s", record);
        return 0;
}

int idblock_release(const char *dir, struct hr_error *err)
{
        cleanup_free char *mine = NULL;
        cleanup_close int lock = -1;
        cleanup_close int ids = -1;
        long long n = held_block(dir);
        char claim[32];
        if (n < 0)
                return 0;
        if (asprintf(&mine, "%s/%s", dir, BLOCK_FILE) < 0)
                return hr_fail(err, "out of memory");
        if ((lock = ids_lock(err)) < 0)
                return -1;
        ids = open(IDS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        snprintf(claim, sizeof(claim), "%lld", n);
        if (ids >= 0) {
                /* the claim is ours only if it names this container; while
                 * another shares the block, it goes to that one */
                bool owner = claim_is(n, dir);
                int handed = 0;
                if (drop_share(ids, dir, err) < 0)
                        return -1;
                if (owner && (handed = hand_over(ids, n, err)) < 0)
                        return -1;
                if (owner && handed == 0 && unlinkat(ids, claim, 0) < 0 && errno != ENOENT)
                        return hr_fail_errno(err, errno, "release %s/%s", IDS_DIR, claim);
        }
        if (unlink(mine) < 0 && errno != ENOENT)
                return hr_fail_errno(err, errno, "remove %s", mine);
        /* the pool's directory goes with the last claim */
        if (rmdir(IDS_DIR) < 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
                return hr_fail_errno(err, errno, "remove %s", IDS_DIR);
        return 0;
}

int idblock_gc(FILE *out, struct hr_error *err)
{
        cleanup_close int lock = -1;
        cleanup_close int ids = -1;
        DIR *d;
        struct dirent *e;
        int rc = 0;
        if (rootless_caller())
                return 0; /* it claims none: the pool is host root's */
        if ((ids = open(IDS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                return errno == ENOENT ? 0 : hr_fail_errno(err, errno, "open %s", IDS_DIR);
        if ((lock = ids_lock(err)) < 0)
                return -1;
        if ((d = opendir(IDS_DIR)) == NULL)
                return errno == ENOENT ? 0 : hr_fail_errno(err, errno, "open %s", IDS_DIR);
        while (rc == 0 && (e = readdir(d)) != NULL) {
                cleanup_free char *path = NULL;
                cleanup_free char *owner = NULL;
                char *end = NULL;
                long long n = strtoll(e->d_name, &end, 10);
                if (e->d_name[0] == '.' || asprintf(&path, "%s/%s", IDS_DIR, e->d_name) < 0)
                        continue;
                /* a claim or share is made after its container's directory,
                 * and released before it goes: one without is left over */
                owner = read_small(path, 4096);
                if (!dir_gone(owner))
                        continue;
                if (end != NULL && *end == '\0' && (rc = hand_over(ids, n, err)) != 0) {
                        if (rc > 0 && out != NULL)
                                fprintf(out, "id block %lld of %s goes to a container sharing it\n",
                                        n, owner ? owner : "?");
                        rc = rc < 0 ? -1 : 0;
                        continue;
                }
                if (unlinkat(ids, e->d_name, 0) < 0 && errno != ENOENT)
                        rc = hr_fail_errno(err, errno, "remove %s", path);
                else if (out != NULL)
                        fprintf(out, "released id block %s of %s\n", e->d_name,
                                owner ? owner : "?");
        }
        closedir(d);
        return rc;
}
