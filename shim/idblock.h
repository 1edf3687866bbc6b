/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Exclusive host id blocks: each container's user namespace maps its ids to
 * a block of the profile's pool of its own, so no two containers (and no
 * host user: the pool must not overlap /etc/subuid or /etc/subgid) share a
 * host uid and can signal or ptrace each other's processes. Blocks are 65536
 * ids on 65536-id boundaries; the block of host ids N*65536.. is claimed by
 * creating STAGING_ROOT/ids/N with O_EXCL (concurrent creates never get the
 * same one, nor two pools overlapping ones), recorded in the container's
 * directory, and released with its staging. */
#ifndef HR_IDBLOCK_H
#define HR_IDBLOCK_H

/* The system user whose /etc/subuid and /etc/subgid entries reserve the
 * pool (as dockerd's dockremap does); made by shim/install-ids.sh. */
#define ID_OWNER "hardened-runc"

#include <stdio.h>

#include "error.h"

struct id_pool {
        long long base;   /* first host id of block 0 */
        long long size;   /* ids per block */
        long long blocks; /* how many */
};

/* The first host id of a block for the container whose directory is dir:
 * the one it holds already (a retried create), else a new one. */
int idblock_claim(const char *dir, const struct id_pool *pool, long long *host_id,
                  struct hr_error *err);
/* The container whose directory is dir joins the user namespace of
 * another, whose block starts at host_id: it holds the block too, so that
 * the block is not handed out again while either runs (a block the pool did
 * not hand out, idRange shared: nothing to hold). */
int idblock_share(const char *dir, long long host_id, struct hr_error *err);
/* Give dir's block back, or its share of one; a block others share goes to
 * one of them (no block: nothing to do). */
int idblock_release(const char *dir, struct hr_error *err);
/* Remove claims whose container directory is gone (a crash between a
 * claim and its release), printing a line for each to out (when not
 * NULL). */
int idblock_gc(FILE *out, struct hr_error *err);

#endif
