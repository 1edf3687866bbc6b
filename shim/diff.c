// SPDX-License-Identifier: GPL-2.0-or-later
/* Line diff by longest common subsequence over the part between the common
 * head and tail. Specs differ in a handful of lines, so the middle is small;
 * past DIFF_MAX_CELLS it is shown as one replaced block instead. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

#define DIFF_MAX_CELLS (4u * 1024 * 1024)
#define CONTEXT        3

struct lines {
        const char **at;
        size_t *len;
        size_t n;
};

static int split_lines(const char *s, struct lines *l)
{
        size_t n = 0, cap = 0;
        memset(l, 0, sizeof(*l));
        while (*s) {
                const char *nl = strchr(s, '\n');
                size_t len = nl ? (size_t)(nl - s) : strlen(s);
                if (n == cap) {
                        size_t c = cap ? cap * 2 : 64;
                        const char **at = reallocarray(l->at, c, sizeof(*at));
                        size_t *lens;
                        if (at == NULL)
                                return -1;
                        l->at = at;
                        lens = reallocarray(l->len, c, sizeof(*lens));
                        if (lens == NULL)
                                return -1;
                        l->len = lens;
                        cap = c;
                }
                l->at[n] = s;
                l->len[n++] = len;
                s += len + (nl != NULL);
        }
        l->n = n;
        return 0;
}

static bool same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
        return a->len[i] == b->len[j] && memcmp(a->at[i], b->at[j], a->len[i]) == 0;
}

enum op { OP_EQ, OP_DEL, OP_INS };

struct edit {
        enum op op;
        size_t a, b; /* line indexes (a for EQ/DEL, b for INS) */
};

/* Edit script for a[lo_a..hi_a) vs b[lo_b..hi_b); appends to e. */
static int lcs_script(const struct lines *a, size_t lo_a, size_t hi_a, const struct lines *b,
                      size_t lo_b, size_t hi_b, struct edit *e, size_t *ne)
{
        size_t m = hi_a - lo_a, n = hi_b - lo_b, i = 0, j = 0;
        uint32_t *t = NULL;
        if (m && n && m <= DIFF_MAX_CELLS / n)
                t = calloc((m + 1) * (n + 1), sizeof(*t));
        if (t != NULL) {
                /* t[i][j] = LCS length of suffixes a[i..], b[j..] */
                for (size_t x = m; x-- > 0;)
                        for (size_t y = n; y-- > 0;)
                                t[x * (n + 1) + y] =
                                    same(a, lo_a + x, b, lo_b + y)
                                        ? t[(x + 1) * (n + 1) + y + 1] + 1
                                        : (t[(x + 1) * (n + 1) + y] >= t[x * (n + 1) + y + 1]
                                               ? t[(x + 1) * (n + 1) + y]
                                               : t[x * (n + 1) + y + 1]);
                while (i < m && j < n) {
                        if (same(a, lo_a + i, b, lo_b + j)) {
                                e[(*ne)++] = (struct edit){OP_EQ, lo_a + i++, lo_b + j++};
                        } else if (t[(i + 1) * (n + 1) + j] >= t[i * (n + 1) + j + 1]) {
                                e[(*ne)++] = (struct edit){OP_DEL, lo_a + i++, 0};
                        } else {
                                e[(*ne)++] = (struct edit){OP_INS, 0, lo_b + j++};
                        }
                }
                free(t);
        } else if (m && n && m > DIFF_MAX_CELLS / n) {
                /* too big to align: fall through to delete-all, insert-all */
        } else if (m && n) {
                return -1; /* allocation failed */
        }
        while (i < m)
                e[(*ne)++] = (struct edit){OP_DEL, lo_a + i++, 0};
        while (j < n)
                e[(*ne)++] = (struct edit){OP_INS, 0, lo_b + j++};
        return 0;
}

static void print_line(FILE *out, char tag, const struct lines *l, size_t i)
{
        fprintf(out, "%c%.*s\n", tag, (int)l->len[i], l->at[i]);
}

static void print_hunks(FILE *out, const struct edit *e, size_t ne, const struct lines *a,
                        const struct lines *b)
{
        size_t k = 0;
        while (k < ne) {
                size_t start, end, last_change, a0, b0, na = 0, nb = 0;
                while (k < ne && e[k].op == OP_EQ)
                        k++;
                if (k == ne)
                        break;
                start = k > CONTEXT ? k - CONTEXT : 0;
                /* extend while changes are within 2*CONTEXT of each other */
                last_change = k;
                end = k;
                while (end < ne && end <= last_change + 2 * CONTEXT) {
                        if (e[end].op != OP_EQ)
                                last_change = end;
                        end++;
                }
                end = last_change + CONTEXT + 1 < ne ? last_change + CONTEXT + 1 : ne;
                a0 = b0 = 0;
                for (size_t x = 0; x < start; x++) {
                        a0 += e[x].op != OP_INS;
                        b0 += e[x].op != OP_DEL;
                }
                for (size_t x = start; x < end; x++) {
                        na += e[x].op != OP_INS;
                        nb += e[x].op != OP_DEL;
                }
                fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", na ? a0 + 1 : a0, na, nb ? b0 + 1 : b0,
                        nb);
                for (size_t x = start; x < end; x++) {
                        if (e[x].op == OP_EQ)
                                print_line(out, ' ', a, e[x].a);
                        else if (e[x].op == OP_DEL)
                                print_line(out, '-', a, e[x].a);
                        else
                                print_line(out, '+', b, e[x].b);
                }
                k = end;
        }
}

int diff_unified(FILE *out, const char *a_label, const char *a, const char *b_label, const char *b,
                 struct hr_error *err)
{
        struct lines la = {0}, lb = {0};
        struct edit *e = NULL;
        size_t head = 0, tail = 0, ne = 0;
        int rc = -1;
        if (split_lines(a, &la) < 0 || split_lines(b, &lb) < 0)
                goto out;
        while (head < la.n && head < lb.n && same(&la, head, &lb, head))
                head++;
        while (tail < la.n - head && tail < lb.n - head &&
               same(&la, la.n - 1 - tail, &lb, lb.n - 1 - tail))
                tail++;
        e = calloc(la.n + lb.n + 1, sizeof(*e));
        if (e == NULL)
                goto out;
        for (size_t i = 0; i < head; i++)
                e[ne++] = (struct edit){OP_EQ, i, i};
        if (lcs_script(&la, head, la.n - tail, &lb, head, lb.n - tail, e, &ne) < 0)
                goto out;
        for (size_t i = 0; i < tail; i++)
                e[ne++] = (struct edit){OP_EQ, la.n - tail + i, lb.n - tail + i};
        if (head + tail < la.n || head + tail < lb.n) {
                fprintf(out, "--- %s\n+++ %s\n", a_label, b_label);
                print_hunks(out, e, ne, &la, &lb);
        }
        rc = 0;
out:
        if (rc < 0)
                hr_fail(err, "out of memory computing the diff");
        free(e);
        free(la.at);
        free(la.len);
        free(lb.at);
        free(lb.len);
        return rc;
}
