/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef HR_TEST_HELPERS_H
#define HR_TEST_HELPERS_H

#include <stddef.h>

#include "json.h"

/* NULL-terminated, sorted list of fixture file names ending in suffix. */
char **fixture_names(const char *suffix);
void fixture_names_free(char **names);
/* Whole file; aborts the test on failure. */
char *slurp(const char *path, size_t *len);
struct json *parse_or_die(const char *text);
/* A fresh temporary directory; remove it with rm_tree. */
char *make_temp_dir(void);
void rm_tree(const char *path);
void write_file(const char *path, const char *data, size_t len, unsigned mode);

#endif
