/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The key table: every key a profile and the admin config may set, its
 * type, its default (the built-in restricted profile's value, or the admin
 * config's built-in one) and, for a rule, the published controls its
 * findings answer (controls.h). `hardened-runc keys` prints it, and
 * hardened-runc-policy(5) carries the same text (a unit test compares). */
#ifndef HR_KEYS_H
#define HR_KEYS_H

#include <stdio.h>

struct admin_key {
        const char *key; /* JSON pointer-like: "decisionLog.file" */
        const char *type;
        const char *dflt;
};

extern const struct admin_key admin_keys[];
extern const size_t admin_key_count;

/* Print the table; -1 when the built-in profile cannot be read (a build
 * error). */
int keys_print(FILE *out);

#endif
