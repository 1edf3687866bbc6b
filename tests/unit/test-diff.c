// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "diff.h"

static char *run_diff(const char *a, const char *b)
{
        char *buf = NULL;
        size_t len = 0;
        struct hr_error err = {0};
        FILE *f = open_memstream(&buf, &len);
        cr_assert_eq(diff_unified(f, "a", a, "b", b, &err), 0);
        fclose(f);
        return buf;
}

Test(diff, identical_texts_give_no_output)
{
        char *d = run_diff("x\ny\n", "x\ny\n");
        cr_assert_str_eq(d, "");
        free(d);
}

Test(diff, one_changed_line_with_context)
{
        char *d = run_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n");
        cr_assert_str_eq(d, "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
        free(d);
}

Test(diff, far_apart_changes_make_two_hunks_and_insertions_count)
{
        char *d =
            run_diff("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n", "A\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n");
        cr_assert_str_eq(
            d,
            "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n@@ -9,3 +9,4 @@\n i\n j\n k\n+l\n");
        free(d);
}
