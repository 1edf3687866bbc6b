/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Error objects in crun's idiom: functions return a negative value and fill
 * a struct hr_error with a message that carries its context; only main()
 * prints. */
#ifndef HR_ERROR_H
#define HR_ERROR_H

#include <stdbool.h>

struct hr_error {
        char *msg; /* owned; NULL when no error or when allocation failed */
        bool failed;
        int errnum; /* errno behind the error, or 0 */
};

/* Record an error (the first one wins) and return -1. */
int hr_fail(struct hr_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, with ": strerror(errnum)" appended. */
int hr_fail_errno(struct hr_error *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Record "file: pointer: message" (pointer may be NULL) and return -1: the
 * form of every validation error in a file of ours. */
int hr_fail_at(struct hr_error *err, const char *file, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prefix context to a recorded error ("prefix: old message"); returns -1. */
int hr_error_prefix(struct hr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The message, never NULL once failed. */
const char *hr_error_msg(const struct hr_error *err);
void hr_error_clear(struct hr_error *err);

#endif
