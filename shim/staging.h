/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A container's directory, STAGING_ROOT/<root key>/<id> (container_dir):
 * its staged rootfs and volumes (plan.h says what they are), its state
 * (state.h) and its host id block (idblock.h). Everything in it is made by
 * staging_apply and removed by staging_remove, on `delete`, when a create
 * fails, and by `gc`. */
#ifndef HR_STAGING_H
#define HR_STAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "plan.h"
#include "probe.h"

#ifndef STAGING_ROOT
#define STAGING_ROOT "/run/hardened-runc"
#endif
/* <container dir>/STATE_FILE: what exec and update need to know (state.h) */
#define STATE_FILE "state.json"

/* Is id safe as one path component (runc's own rule: [\w+.-], not . or ..)? */
bool container_id_safe(const char *id);

/* The directory of a container's staging and state: STAGING_ROOT/KEY/ID,
 * where KEY names the runtime root (runc's --root, default /run/runc), so
 * that the same id under two roots shares nothing: the root's absolute,
 * clean path with '/' written '+' and every byte outside [A-Za-z0-9._-] as
 * %XX. NULL (err set) for an unsafe id or a root too long for a name. */
char *container_dir(const char *root, const char *id, struct hr_error *err);

/* Carry out the plan's steps (removing a previous staging of the same id
 * first, so a retried create works), with the idmapped copies pr made or
 * makes. On failure nothing stays mounted. */
int staging_apply(const struct staging_plan *plan, struct probe *pr, struct hr_error *err);

/* Make dir and its parents up to STAGING_ROOT, 0711, owned by us; an
 * existing one must be a directory of ours. */
int staging_dir_make(const char *dir, struct hr_error *err);

/* Lazily unmount everything under dir (a container_dir) and remove it,
 * with the container's state file, its id block, the overlay's work
 * directory beside the upper layer, and the root's directory when it was
 * the last. Never deletes content: only the directories and empty files it
 * created. A missing staging directory is not an error. */
int staging_remove(const char *dir, struct hr_error *err);

/* Make dir (staging_dir_make) and lock it for as long as the returned
 * descriptor (O_CLOEXEC) stays open: a create holds it until the runtime
 * is done, so that no gc removes a staging in progress. */
int staging_lock(const char *dir, struct hr_error *err);

/* Remove the staging and state of every container of root (as
 * container_dir names it) that alive() says the runtime no longer knows,
 * printing "removed ID" lines to out (when not NULL). A container whose
 * directory is locked (staging_lock) is in progress and left alone. */
int staging_gc(const char *root, bool (*alive)(const char *id, void *arg), void *arg, FILE *out,
               struct hr_error *err);

#endif
