/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Handing over to the real runtime. */
#ifndef HR_RUNTIME_H
#define HR_RUNTIME_H

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

#endif
