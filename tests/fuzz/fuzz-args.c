// SPDX-License-Identifier: GPL-2.0-or-later
/* runc's command line, NUL-separated words. Property: what we would exec
 * (runtime_argv) reads, to our own parser, as runc would read the original:
 * the same verb, container id, bundle, root and flag uses, and no flag of
 * ours left in it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runc-args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const char *a, const char *b)
{
        return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static _Noreturn void fail(const char *what)
{
        fprintf(stderr, "%s\n", what);
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *buf = malloc(size + 1);
        char **argv = calloc(size + 3, sizeof(*argv));
        int argc = 0;
        struct runc_args a, b;
        struct hr_error err = {0};
        if (buf == NULL || argv == NULL || size > 4096)
                goto out;
        memcpy(buf, data, size);
        buf[size] = '\0';
        argv[argc++] = (char *)"hardened-runc";
        for (size_t i = 0; i < size;) {
                argv[argc++] = buf + i;
                i += strlen(buf + i) + 1;
        }
        argv[argc] = NULL;
        if (runc_args_parse(argc, argv, &a, &err) < 0) {
                hr_error_clear(&err);
                runc_args_free(&a);
                goto out;
        }
        a.runtime_argv[0] = (char *)"runc";
        if (runc_args_parse(a.runtime_argc, a.runtime_argv, &b, &err) < 0)
                fail("what we would exec does not parse");
        if (a.verb != b.verb || !same(a.container_id, b.container_id) ||
            !same(a.bundle, b.bundle) || !same(a.root, b.root) || a.nuses != b.nuses)
                fail("what we would exec reads differently");
        if (b.profile != NULL || b.config != NULL || b.dry_run != DRY_RUN_OFF)
                fail("a flag of ours is left in what we would exec");
        runc_args_free(&b);
        runc_args_free(&a);
out:
        free(argv);
        free(buf);
        return 0;
}
