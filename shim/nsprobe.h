/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the kernel says of a namespace a spec joins by path. */
#ifndef HR_NSPROBE_H
#define HR_NSPROBE_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"

/* The uid and gid maps of the user namespace at path, as host ids, in the
 * OCI form [{"containerID": C, "hostID": H, "size": N}, ...]. A child
 * process joins the namespace and this process reads the child's
 * /proc/PID/{uid,gid}_map, which the kernel writes in the reader's own
 * (the host's) ids. Fails when path is not a user namespace. */
int userns_maps(const char *path, struct json **uid_map, struct json **gid_map,
                struct hr_error *err);

/* The user namespace that owns the namespace at path (NS_GET_USERNS):
 * whether it is this process's own (the host's), and its device and
 * inode, to compare with another path's. -1 with errno set when path is
 * not a namespace or cannot be opened. */
int ns_owner(const char *path, bool *host, dev_t *dev, ino_t *ino);

#endif
