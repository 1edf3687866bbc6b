// SPDX-License-Identifier: GPL-2.0-or-later
/* Go-style key folding. Property: the OCI field our check says Go's
 * encoding/json would match a key to is the one a reference matcher finds,
 * written apart from shim/json.c: it decodes the key rune by rune and
 * compares each with a field's letters as Go's bytes.EqualFold does for an
 * ASCII name (simple folding: a letter's case pair, and the two non-ASCII
 * members of those orbits, U+017F LONG S for s and U+212A KELVIN SIGN for
 * k), against every field of the table in turn. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One UTF-8 rune at *p (of n bytes left); U+FFFD for a bad sequence, as Go
 * reads it, advancing one byte. */
static uint32_t next_rune(const unsigned char **p, size_t *n)
{
        const unsigned char *s = *p;
        uint32_t r;
        size_t len;
        if (s[0] < 0x80) {
                r = s[0];
                len = 1;
        } else if ((s[0] & 0xe0) == 0xc0 && *n >= 2 && (s[1] & 0xc0) == 0x80) {
                r = ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
                len = r >= 0x80 ? 2 : 0;
        } else if ((s[0] & 0xf0) == 0xe0 && *n >= 3 && (s[1] & 0xc0) == 0x80 &&
                   (s[2] & 0xc0) == 0x80) {
                r = ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) |
                    (s[2] & 0x3f);
                len = r >= 0x800 && (r < 0xd800 || r > 0xdfff) ? 3 : 0;
        } else if ((s[0] & 0xf8) == 0xf0 && *n >= 4 && (s[1] & 0xc0) == 0x80 &&
                   (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80) {
                r = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
                    ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
                len = r >= 0x10000 && r <= 0x10ffff ? 4 : 0;
        } else {
                len = 0;
        }
        if (len == 0) {
                r = 0xfffd;
                len = 1;
        }
        *p += len;
        *n -= len;
        return r;
}

/* Does rune r fold to the ASCII byte t? */
static bool folds_to(uint32_t r, char t)
{
        char lower = (t >= 'A' && t <= 'Z') ? (char)(t + 32) : t;
        if (r == (unsigned char)t)
                return true;
        if (lower >= 'a' && lower <= 'z' && (r == (uint32_t)lower || r == (uint32_t)(lower - 32)))
                return true;
        return (lower == 's' && r == 0x17f) || (lower == 'k' && r == 0x212a);
}

static bool equal_fold(const char *key, size_t n, const char *field)
{
        const unsigned char *p = (const unsigned char *)key;
        const char *f = field;
        while (n > 0) {
                if (*f == '\0' || !folds_to(next_rune(&p, &n), *f))
                        return false;
                f++;
        }
        return *f == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        size_t nfields;
        const char *const *fields = json_oci_field_names(&nfields);
        const char *ref = NULL, *ours;
        char *key;
        bool oom;
        if (size > 256 || memchr(data, 0, size) != NULL)
                return 0;
        if ((key = malloc(size + 1)) == NULL)
                return 0;
        memcpy(key, data, size);
        key[size] = '\0';
        for (size_t i = 0; i < nfields && ref == NULL; i++)
                if (equal_fold(key, size, fields[i]))
                        ref = fields[i];
        ours = json_go_field_for(key, &oom);
        if (!oom && ours != ref) {
                fprintf(stderr, "key \"%s\": ours %s, reference %s\n", key, ours ? ours : "(none)",
                        ref ? ref : "(none)");
                abort();
        }
        free(key);
        return 0;
}
