// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rootless.h"
#include "staging.h"

/* The host's own user namespace maps every id to itself. */
static const char identity[] = "0 0 4294967295";

static char uid_map[4096];
static int uid_map_state; /* 0 unread, 1 read, -1 unreadable */

const char *rootless_uid_map(void)
{
        if (uid_map_state == 0) {
                int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
                ssize_t n = fd < 0 ? -1 : read(fd, uid_map, sizeof(uid_map) - 1);
                if (fd >= 0)
                        close(fd);
                uid_map_state = n > 0 ? 1 : -1;
                uid_map[n > 0 ? n : 0] = '\0';
        }
        return uid_map_state > 0 ? uid_map : NULL;
}

/* Is the map the host's identity ("0 0 4294967295", spaces as the kernel
 * pads them)? */
static bool is_identity(const char *map)
{
        char squeezed[64];
        size_t o = 0;
        bool space = false;
        for (const char *p = map; *p != '\0' && o + 1 < sizeof(squeezed); p++) {
                if (*p == ' ' || *p == '\t' || *p == '\n') {
                        space = o > 0;
                        continue;
                }
                if (space)
                        squeezed[o++] = ' ';
                space = false;
                if (o + 1 < sizeof(squeezed))
                        squeezed[o++] = *p;
        }
        squeezed[o] = '\0';
        return strcmp(squeezed, identity) == 0;
}

bool rootless_caller(void)
{
        const char *map = rootless_uid_map();
        return geteuid() != 0 || (map != NULL && !is_identity(map));
}

const char *staging_root(struct hr_error *err)
{
        static char *root;
        const char *xdg;
        struct stat st;
        if (root != NULL)
                return root;
        if (!rootless_caller())
                return STAGING_ROOT;
        xdg = getenv("XDG_RUNTIME_DIR");
        if (xdg == NULL || xdg[0] != '/') {
                hr_fail(err, "running rootless (in a user namespace of its own, or not as root): "
                             "XDG_RUNTIME_DIR must name the caller's own runtime directory, "
                             "where hardened-runc keeps its state");
                return NULL;
        }
        if (stat(xdg, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
            (st.st_mode & 022) != 0) {
                hr_fail(err,
                        "running rootless: XDG_RUNTIME_DIR %s is not a directory of the "
                        "caller's own that only it can write",
                        xdg);
                return NULL;
        }
        if (asprintf(&root, "%s/hardened-runc", xdg) < 0) {
                root = NULL;
                hr_fail(err, "out of memory");
                return NULL;
        }
        return root;
}
