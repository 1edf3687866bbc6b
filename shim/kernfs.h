/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A fresh kernel filesystem for a joined namespace (plan.h struct
 * staged_kernfs), made as host root in that namespace. */
#ifndef HR_KERNFS_H
#define HR_KERNFS_H

#include "error.h"
#include "plan.h"

/* Mount a fresh k->fstype for the namespace at k->ns_path (refused unless
 * it is still the nsfs inode judged) at k->target, an existing directory. */
int kernfs_mount(const struct staged_kernfs *k, struct hr_error *err);

#endif
