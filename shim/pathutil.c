// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pathutil.h"

char *path_clean(const char *p)
{
        size_t n = strlen(p);
        char *out = malloc(n + 2);
        size_t o = 0;
        if (out == NULL)
                return NULL;
        out[o++] = '/';
        while (*p) {
                size_t len;
                while (*p == '/')
                        p++;
                len = strcspn(p, "/");
                if (len == 0)
                        break;
                if (len == 2 && p[0] == '.' && p[1] == '.') {
                        while (o > 1 && out[o - 1] != '/')
                                o--;
                        if (o > 1)
                                o--;
                } else if (!(len == 1 && p[0] == '.')) {
                        if (o > 1)
                                out[o++] = '/';
                        memcpy(out + o, p, len);
                        o += len;
                }
                p += len;
        }
        out[o] = '\0';
        return out;
}

bool path_within(const char *path, const char *dir)
{
        size_t n = strlen(dir);
        if (strcmp(dir, "/") == 0)
                return true;
        return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int ns_is_ours(const char *path, const char *oci_type, bool *ours)
{
        /* OCI type -> /proc/self/ns entry */
        static const char *const names[][2] = {
            {"network", "net"}, {"mount", "mnt"}, {"pid", "pid"},       {"ipc", "ipc"},
            {"uts", "uts"},     {"user", "user"}, {"cgroup", "cgroup"}, {"time", "time"},
        };
        char self[64];
        struct stat a, b;
        const char *name = NULL;
        for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
                if (strcmp(names[i][0], oci_type) == 0)
                        name = names[i][1];
        if (name == NULL) {
                errno = EINVAL;
                return -1;
        }
        snprintf(self, sizeof(self), "/proc/self/ns/%s", name);
        if (stat(path, &a) < 0 || stat(self, &b) < 0)
                return -1;
        /* nsfs: the same namespace has the same device and inode */
        *ours = a.st_dev == b.st_dev && a.st_ino == b.st_ino;
        return 0;
}
