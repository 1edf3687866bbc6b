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

#endif
