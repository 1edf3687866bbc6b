/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Handing over to the real runtime. */
#ifndef HR_RUNTIME_H
#define HR_RUNTIME_H

#include <stddef.h>

#include "error.h"

/* The runtime must be an absolute path to an executable regular file that is
 * not this program (installed as "runc" in front of the real one, we would
 * otherwise exec ourselves in a loop). */
int runtime_check(const char *path, struct hr_error *err);

/* execv(path, argv) with argv[0] set to path; the environment is passed
 * unchanged. Returns only on failure. Every descriptor this program opened
 * is O_CLOEXEC, so the runtime inherits only what our caller gave us (runc's
 * --preserve-fds and console sockets depend on that). */
int runtime_exec(const char *path, char **argv, struct hr_error *err);

/* Foreground `run` only: runc deletes the container itself when it exits,
 * so no `delete` would come to remove our staging. Start the runtime as a
 * child instead, forward the signals sent to us, wait, and return its exit
 * status as a shell reports it (128 + signal when killed). */
int runtime_run_wait(const char *path, char **argv, int *status, struct hr_error *err);

/* Run the runtime with argv (slot 0 filled in here) and return what it
 * prints on stdout, at most cap bytes, NUL-terminated, the caller's to free.
 * Its stderr goes to /dev/null. Fails unless it exits 0. For `state`: where exec finds a bundle the
 * runtime knows and we do not. */
int runtime_capture(const char *path, char **argv, size_t cap, char **out, struct hr_error *err);

#endif
