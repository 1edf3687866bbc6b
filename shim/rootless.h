/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A rootless caller: hardened-runc run in a user namespace other than the
 * host's (rootless podman runs its runtime in the user's own), or by a
 * user other than root. It cannot stage (idmapped mounts need host root),
 * and its state lives in the caller's own runtime directory, never in the
 * shared root-owned STAGING_ROOT. */
#ifndef HR_ROOTLESS_H
#define HR_ROOTLESS_H

#include <stdbool.h>

#include "error.h"

/* Is this process rootless? Read once. */
bool rootless_caller(void);

/* Where containers' directories live: STAGING_ROOT for root on the host;
 * for a rootless caller $XDG_RUNTIME_DIR/hardened-runc, which must be an
 * absolute path to a directory of the caller's own, not writable by
 * others. NULL (err set) when a rootless caller has none. */
const char *staging_root(struct hr_error *err);

/* The caller's uid map as the kernel shows it to us ("0 1000 1\n1 100000
 * 65536\n"): the caller's own; NULL when unreadable. Static. */
const char *rootless_uid_map(void);

#endif
