/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/self/mountinfo, a line at a time. */
#ifndef HR_MOUNTINFO_H
#define HR_MOUNTINFO_H

#include <stdbool.h>

#include "error.h"

/* One mount; the strings point into the line being read. */
struct mount_line {
        char *dev;        /* "major:minor" of the filesystem */
        char *root;       /* the directory of that filesystem mounted here */
        char *mountpoint; /* where, in our mount namespace */
        char *opts;       /* the mount's own flags: "rw,nosuid,nodev,noexec,relatime" */
        char *fstype;
        char *superopts;
};

/* For each mount, in mountinfo order, call fn; stops when fn returns < 0,
 * which fails with "out of memory". */
int mountinfo_each(int (*fn)(const struct mount_line *, void *), void *arg, struct hr_error *err);
/* The same in two steps: the whole table as text (the caller frees), and
 * the mounts of such a text. */
int mountinfo_read(char **text, struct hr_error *err);
int mountinfo_each_in(const char *text, int (*fn)(const struct mount_line *, void *), void *arg,
                      struct hr_error *err);

#endif
