/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Handing a hardened document to the runtime without a file: a sealed
 * memfd the runtime inherits and opens as /proc/self/fd/N. Nothing is left
 * behind to clean up, and nobody (not even we) can change it after it is
 * sealed: the bytes judged are the bytes read. */
#ifndef HR_HANDOFF_H
#define HR_HANDOFF_H

#include <stddef.h>

#include "error.h"

/* A sealed, read-only memfd with data, inherited across exec at a
 * descriptor number >= min_fd (so it cannot take a slot the caller passes
 * on with --preserve-fds). Returns the descriptor; *path is
 * "/proc/self/fd/N", the caller's to free. */
int handoff_memfd(const char *name, const char *data, size_t len, int min_fd, char **path,
                  struct hr_error *err);

#endif
