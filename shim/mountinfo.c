// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mountinfo.h"

/* Undo mountinfo's octal escapes (\040 for a space, ...) in place. */
static void unescape(char *s)
{
        char *o = s;
        for (char *p = s; *p; p++) {
                if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
                    p[3] >= '0' && p[3] <= '7') {
                        *o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
                        p += 3;
                } else {
                        *o++ = *p;
                }
        }
        *o = '\0';
}

/* Split one mountinfo line in place: "id parent maj:min root mountpoint opts
 * [optional...] - fstype source superopts". */
static bool split_line(char *line, struct mount_line *m)
{
        char *save = NULL, *f;
        int i = 0, k = -1; /* k: field index after the "-" separator */
        line[strcspn(line, "\n")] = '\0';
        for (f = strtok_r(line, " ", &save); f != NULL; f = strtok_r(NULL, " ", &save), i++) {
                if (k >= 0)
                        k++;
                if (i == 2)
                        m->dev = f;
                else if (i == 3)
                        m->root = f;
                else if (i == 4)
                        m->mountpoint = f;
                else if (i == 5)
                        m->opts = f;
                else if (i > 5 && k < 0 && strcmp(f, "-") == 0)
                        k = 0;
                else if (k == 1)
                        m->fstype = f;
                else if (k == 3)
                        m->superopts = f;
        }
        if (m->dev == NULL || m->root == NULL || m->mountpoint == NULL || m->fstype == NULL ||
            m->superopts == NULL)
                return false;
        unescape(m->root);
        unescape(m->mountpoint);
        return true;
}

int mountinfo_read(char **text, struct hr_error *err)
{
        FILE *f = fopen("/proc/self/mountinfo", "re");
        char buf[8192];
        size_t len = 0, n;
        FILE *out;
        int rc = 0;
        *text = NULL;
        if (f == NULL)
                return hr_fail_errno(err, errno, "open /proc/self/mountinfo");
        if ((out = open_memstream(text, &len)) == NULL) {
                fclose(f);
                return hr_fail(err, "out of memory");
        }
        while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
                if (fwrite(buf, 1, n, out) != n)
                        rc = -1;
        if (ferror(f))
                rc = hr_fail_errno(err, errno, "read /proc/self/mountinfo");
        fclose(f);
        if (fclose(out) != 0 || (rc < 0 && !err->failed))
                rc = hr_fail(err, "out of memory");
        if (rc < 0) {
                free(*text);
                *text = NULL;
        }
        return rc;
}

int mountinfo_each_in(const char *text, int (*fn)(const struct mount_line *, void *), void *arg,
                      struct hr_error *err)
{
        char *copy = strdup(text), *save = NULL;
        int rc = 0;
        if (copy == NULL)
                return hr_fail(err, "out of memory");
        for (char *line = strtok_r(copy, "\n", &save); rc == 0 && line != NULL;
             line = strtok_r(NULL, "\n", &save)) {
                struct mount_line m = {0};
                if (split_line(line, &m))
                        rc = fn(&m, arg);
        }
        free(copy);
        return rc < 0 ? hr_fail(err, "out of memory reading mountinfo") : 0;
}

int mountinfo_each(int (*fn)(const struct mount_line *, void *), void *arg, struct hr_error *err)
{
        char *text = NULL;
        int rc = mountinfo_read(&text, err);
        if (rc == 0)
                rc = mountinfo_each_in(text, fn, arg, err);
        free(text);
        return rc;
}
