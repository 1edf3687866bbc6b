// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gonum.h"

int go_parse_bool(const char *s, bool *out)
{
        static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
        static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
        for (size_t i = 0; i < 6; i++) {
                if (strcmp(s, yes[i]) == 0)
                        return *out = true, 0;
                if (strcmp(s, no[i]) == 0)
                        return *out = false, 0;
        }
        return -1;
}

static int digit_value(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'Z')
                return c - 'A' + 10;
        return 99;
}

/* Unsigned digits in base, the whole of s, at least one, no overflow. */
static int parse_digits(const char *s, int base, unsigned long long *out)
{
        unsigned long long v = 0;
        if (*s == '\0')
                return -1;
        for (; *s; s++) {
                int d = digit_value(*s);
                if (d >= base || v > (~0ULL - (unsigned)d) / (unsigned)base)
                        return -1;
                v = v * (unsigned)base + (unsigned)d;
        }
        *out = v;
        return 0;
}

/* An optional sign, then an unsigned magnitude that must fit int64. */
static int signed_value(const char *s, int base, bool prefixes, long long *out)
{
        bool neg = *s == '-';
        unsigned long long mag;
        if (*s == '+' || *s == '-')
                s++;
        if (prefixes && s[0] == '0' && s[1] != '\0') {
                char p = (char)tolower((unsigned char)s[1]);
                base = p == 'x' ? 16 : p == 'b' ? 2 : 8;
                s += (p == 'x' || p == 'b' || p == 'o') ? 2 : 1;
        }
        if (parse_digits(s, base, &mag) < 0)
                return -1;
        if (mag > (neg ? 9223372036854775808ULL : 9223372036854775807ULL))
                return -1;
        *out = neg ? (long long)(0 - mag) : (long long)mag;
        return 0;
}

int go_atoi(const char *s, long long *out)
{
        return signed_value(s, 10, false, out);
}

int go_parse_int0(const char *s, long long *out)
{
        return signed_value(s, 10, true, out);
}

int go_parse_uint(const char *s, unsigned long long *out)
{
        return parse_digits(s, 10, out);
}

/* ^(\d+(\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$ (go-units also matches more
 * dots, then fails to parse the number) */
int go_ram_in_bytes(const char *s, long long *out)
{
        static const char units[] = "kmgtp";
        const char *p = s;
        char *num, *end;
        double v;
        const char *u;
        while (isdigit((unsigned char)*p))
                p++;
        if (p == s)
                return -1;
        if (*p == '.') {
                const char *frac = ++p;
                while (isdigit((unsigned char)*p))
                        p++;
                if (p == frac)
                        return -1;
        }
        num = strndup(s, (size_t)(p - s));
        if (num == NULL)
                return -1;
        errno = 0;
        v = strtod(num, &end);
        free(num);
        if (errno != 0)
                return -1;
        if (*p == ' ')
                p++;
        if (*p != '\0' && (u = strchr(units, tolower((unsigned char)*p))) != NULL) {
                for (long k = 0; k <= u - units; k++)
                        v *= 1024.0;
                p++;
        }
        if (*p == 'i' || *p == 'I')
                p++;
        if (*p == 'b' || *p == 'B')
                p++;
        if (*p != '\0' || v >= 9223372036854775808.0)
                return -1;
        *out = (long long)v;
        return 0;
}
