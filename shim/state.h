/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A container's state, recorded at create in its directory (container_dir,
 * staging.h: keyed by the runtime root and the id) as state.json
 * (0600, root's, removed with the staging on delete): the profile it was
 * hardened with, so exec and update judge it by the same one whatever
 * --profile they are given; its bundle, where exec without --process
 * finds the process to start from; and its AppArmor profile, which every
 * exec'd process gets (runc 1.1 applies none to an exec'd process whose
 * spec names none: it does not remember the container's). */
#ifndef HR_STATE_H
#define HR_STATE_H

#include <stddef.h>

#include "error.h"
#include "nsenter.h"

struct container_state {
        char *profile; /* a selector profile_load takes: a name or an absolute path */
        char *bundle;  /* absolute */
        /* namespaces hardened-runc enters before the runtime runs, for
         * every exec too (nsenter.h): their types and nsfs inodes */
        struct ns_join *enter;
        size_t nenter;
        char *apparmor; /* the container's AppArmor profile; NULL: none */
};

/* What create records, borrowed from the caller. */
struct state_facts {
        const char *profile;
        const char *bundle;
        const struct ns_join *enter;
        size_t nenter;
        const char *apparmor; /* NULL: none */
};

/* Write f atomically to dir. Its bundle is made absolute here. */
int state_record(const char *dir, const struct state_facts *f, struct hr_error *err);
/* 1 with *st filled, 0 when the container has no state (not created through
 * us), -1 when the file exists but cannot be trusted or read. */
int state_load(const char *dir, struct container_state *st, struct hr_error *err);
void state_free(struct container_state *st);

#endif
