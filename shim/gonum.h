/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Numbers and booleans as runc 1.1 reads its flags (Go's strconv, flag and
 * docker/go-units), so a value means to us what it means to runc. Where Go
 * accepts an exotic spelling we do not reproduce (digit separators "1_000"),
 * these fail: a value we cannot judge is refused, never guessed. All return
 * 0, or -1 for a value runc would refuse too or that we cannot judge. */
#ifndef HR_GONUM_H
#define HR_GONUM_H

#include <stdbool.h>

/* strconv.ParseBool */
int go_parse_bool(const char *s, bool *out);
/* strconv.Atoi on 64 bits: [+-]decimal digits */
int go_atoi(const char *s, long long *out);
/* strconv.ParseUint(s, 10, 64) */
int go_parse_uint(const char *s, unsigned long long *out);
/* strconv.ParseInt(s, 0, 64), as Go's flag package reads an int flag:
 * 0x hex, 0o or a leading 0 octal, 0b binary */
int go_parse_int0(const char *s, long long *out);
/* docker/go-units v0.4 RAMInBytes, as `runc update --memory` reads it:
 * "512m", "1.5GiB", "100 kb"; results of 2^63 or more are refused */
int go_ram_in_bytes(const char *s, long long *out);

#endif
