/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading and atomically replacing files relative to a directory fd. */
#ifndef HR_BUNDLE_H
#define HR_BUNDLE_H

#include <stddef.h>
#include <sys/stat.h>

#include "error.h"
#include "json.h"

/* Open a directory (following symlinks, as runc's chdir does). */
int bundle_open_dir(const char *path, struct hr_error *err);

/* Read name relative to dirfd: O_NOFOLLOW, regular files only, at most cap
 * bytes (checked against fstat before allocating, and again while reading in
 * case the file grows). *buf is NUL-terminated; *st receives fstat's view.
 * Messages do not repeat the file name: callers prefix it. */
int file_read_at(int dirfd, const char *name, size_t cap, char **buf, size_t *len, struct stat *st,
                 struct hr_error *err);

enum json_kind {
        JSON_OCI, /* an OCI document runc will read: json_parse */
        JSON_OWN, /* one of our own formats: json_parse_own */
};

/* Read and strictly parse a JSON file; messages name display_path. */
int json_load_at(int dirfd, const char *name, const char *display_path, enum json_kind kind,
                 struct json **out, struct stat *st, struct hr_error *err);

/* json_load_at for a path: its directory is opened first, the file itself
 * must not be a symlink. */
int json_load_path(const char *path, enum json_kind kind, struct json **out, struct hr_error *err);

/* Read fd to its end: at most cap bytes (one more is an error), into a
 * NUL-terminated buffer the caller frees. */
int fd_read_all(int fd, size_t cap, char **buf, size_t *len, struct hr_error *err);

/* write(2) until all of data is written; -1 with errno on failure. */
int write_all(int fd, const char *data, size_t len);

/* The temporary copy is ".NAME" TEMP_INFIX "<16 hex digits>". */
#define TEMP_INFIX ".hardened-runc-"

/* Replace name in dirfd atomically: a temporary file in the same directory,
 * same mode and owner as like (the original), fsync, renameat, fsync of the
 * directory. Any failure leaves the original untouched (a process killed
 * in between leaves the temporary file). */
int file_replace_at(int dirfd, const char *name, const char *data, size_t len,
                    const struct stat *like, struct hr_error *err);

#endif
