/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Idmapped mounts (kernel >= 5.12; overlay layers >= 5.19): a user
 * namespace carrying a mapping, and detached mount trees shifted through it. */
#ifndef HR_IDMAP_H
#define HR_IDMAP_H

#include <stdbool.h>

#include "error.h"

/* A user namespace fd whose uid and gid maps are map ("0 100000 65536",
 * lines of "inside outside count"). Made by a short-lived child process;
 * the fd keeps the namespace alive after the child is gone. */
int userns_fd_open(const char *map, int *fd, struct hr_error *err);

/* A detached copy of the mount at src (recursive when rec), idmapped
 * through userns_fd. The copy disappears when *tree_fd is closed unless it
 * is attached with idmap_attach. */
int idmap_clone(const char *src, int userns_fd, bool rec, int *tree_fd, struct hr_error *err);
/* Attach a detached tree at dest (an existing directory or file). */
int idmap_attach(int tree_fd, const char *dest, struct hr_error *err);
/* A detached copy of the mount tree at src (with the mounts below it when
 * rec), not idmapped; *tree_fd is the caller's. */
int tree_clone(const char *src, bool rec, int *tree_fd, struct hr_error *err);
/* Set nosuid and nodev on a detached tree (and its mounts below when rec). */
int tree_nosuid_nodev(int tree_fd, bool rec, struct hr_error *err);

#endif
