// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bundle.h"
#include "cleanup.h"
#include "handoff.h"

#define SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

int handoff_memfd(const char *name, const char *data, size_t len, int min_fd, char **path,
                  struct hr_error *err)
{
        cleanup_close int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        int kept;
        *path = NULL;
        if (fd < 0)
                return hr_fail_errno(err, errno, "memfd_create %s", name);
        if (write_all(fd, data, len) < 0)
                return hr_fail_errno(err, errno, "write memfd %s", name);
        if (fcntl(fd, F_ADD_SEALS, SEALS) < 0)
                return hr_fail_errno(err, errno, "seal memfd %s", name);
        /* F_DUPFD: the copy has no FD_CLOEXEC, so the runtime inherits it */
        kept = fcntl(fd, F_DUPFD, min_fd);
        if (kept < 0)
                return hr_fail_errno(err, errno, "move memfd %s to a descriptor >= %d", name,
                                     min_fd);
        if (asprintf(path, "/proc/self/fd/%d", kept) < 0) {
                *path = NULL;
                close(kept);
                return hr_fail(err, "out of memory");
        }
        return kept;
}
