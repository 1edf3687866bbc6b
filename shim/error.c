// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

__attribute__((format(printf, 1, 0))) static char *vformat(const char *fmt, va_list ap)
{
        char *s = NULL;
        if (vasprintf(&s, fmt, ap) < 0)
                return NULL;
        return s;
}

int hr_fail(struct hr_error *err, const char *fmt, ...)
{
        va_list ap;
        if (err == NULL || err->failed)
                return -1;
        va_start(ap, fmt);
        err->msg = vformat(fmt, ap);
        va_end(ap);
        err->failed = true;
        return -1;
}

int hr_fail_errno(struct hr_error *err, int errnum, const char *fmt, ...)
{
        va_list ap;
        char *head;
        if (err == NULL || err->failed)
                return -1;
        va_start(ap, fmt);
        head = vformat(fmt, ap);
        va_end(ap);
        err->failed = true;
        err->errnum = errnum;
        if (head == NULL)
                return -1;
        if (asprintf(&err->msg, "%s: %s", head, strerror(errnum)) < 0)
                err->msg = NULL;
        free(head);
        return -1;
}

int hr_fail_at(struct hr_error *err, const char *file, const char *pointer, const char *fmt, ...)
{
        va_list ap;
        char *msg;
        if (err == NULL || err->failed)
                return -1;
        va_start(ap, fmt);
        msg = vformat(fmt, ap);
        va_end(ap);
        err->failed = true;
        if (msg == NULL)
                return -1;
        if (asprintf(&err->msg, "%s: %s%s%s", file, pointer ? pointer : "", pointer ? ": " : "",
                     msg) < 0)
                err->msg = NULL;
        free(msg);
        return -1;
}

int hr_error_prefix(struct hr_error *err, const char *fmt, ...)
{
        va_list ap;
        char *head, *joined = NULL;
        if (err == NULL || !err->failed)
                return -1;
        va_start(ap, fmt);
        head = vformat(fmt, ap);
        va_end(ap);
        if (head == NULL)
                return -1;
        if (asprintf(&joined, "%s: %s", head, hr_error_msg(err)) >= 0) {
                free(err->msg);
                err->msg = joined;
        }
        free(head);
        return -1;
}

const char *hr_error_msg(const struct hr_error *err)
{
        if (err == NULL || !err->failed)
                return "no error";
        return err->msg != NULL ? err->msg : "out of memory while reporting an error";
}

void hr_error_clear(struct hr_error *err)
{
        free(err->msg);
        err->msg = NULL;
        err->failed = false;
        err->errnum = 0;
}
