// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static int cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fixture_names(const char *suffix)
{
        DIR *d = opendir(FIXTURES_DIR);
        struct dirent *e;
        char **names = calloc(256, sizeof(*names));
        size_t n = 0, sl = strlen(suffix);
        cr_assert_not_null(d, "open %s", FIXTURES_DIR);
        while ((e = readdir(d)) != NULL) {
                size_t l = strlen(e->d_name);
                if (l > sl && strcmp(e->d_name + l - sl, suffix) == 0 && n < 255)
                        names[n++] = strdup(e->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof(*names), cmp);
        cr_assert_gt(n, 0, "no fixtures ending in %s", suffix);
        return names;
}

void fixture_names_free(char **names)
{
        for (char **p = names; *p; p++)
                free(*p);
        free(names);
}

char *slurp(const char *path, size_t *len)
{
        FILE *f = fopen(path, "rb");
        char *buf;
        long n;
        cr_assert_not_null(f, "open %s", path);
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        fseek(f, 0, SEEK_SET);
        buf = malloc((size_t)n + 1);
        cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
        buf[n] = '\0';
        fclose(f);
        if (len)
                *len = (size_t)n;
        return buf;
}

struct json *parse_or_die(const char *text)
{
        struct hr_error err = {0};
        struct json *j = NULL;
        int rc = json_parse(text, strlen(text), &j, &err);
        cr_assert_eq(rc, 0, "parse failed: %s", hr_error_msg(&err));
        return j;
}

char *make_temp_dir(void)
{
        char *t = strdup("/tmp/hr-unit.XXXXXX");
        cr_assert_not_null(mkdtemp(t));
        return t;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(p);
}

void rm_tree(const char *path)
{
        nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void write_file(const char *path, const char *data, size_t len, unsigned mode)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        cr_assert_geq(fd, 0, "create %s", path);
        cr_assert_eq(write(fd, data, len), (ssize_t)len);
        cr_assert_eq(fchmod(fd, mode), 0);
        close(fd);
}
