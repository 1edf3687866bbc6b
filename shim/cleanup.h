/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scope-bound ownership helpers: a variable declared cleanup_free or
 * cleanup_close releases its resource when it goes out of scope;
 * steal_pointer() hands ownership on and leaves NULL behind. */
#ifndef HR_CLEANUP_H
#define HR_CLEANUP_H

#include <stdlib.h>
#include <unistd.h>

static inline void hr_freep(void *p)
{
        free(*(void **)p);
}

static inline void hr_closep(int *fd)
{
        /* Read-only or already-synced descriptors only: writers close
         * explicitly and check the result. */
        if (*fd >= 0)
                (void)close(*fd);
}

#define cleanup_free  __attribute__((cleanup(hr_freep)))
#define cleanup_close __attribute__((cleanup(hr_closep)))

#define steal_pointer(pp)                                                                          \
        ({                                                                                         \
                __typeof__(*(pp)) _stolen = *(pp);                                                 \
                *(pp) = NULL;                                                                      \
                _stolen;                                                                           \
        })

#define steal_fd(fdp)                                                                              \
        ({                                                                                         \
                int _stolen_fd = *(fdp);                                                           \
                *(fdp) = -1;                                                                       \
                _stolen_fd;                                                                        \
        })

#endif
