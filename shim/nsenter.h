/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Namespaces hardened-runc enters itself before it runs the runtime.
 *
 * runc 1.1 enters a container's user namespace before every other one it
 * joins, on create and on each exec. A namespace the host's user namespace
 * owns (a pod's network namespace, made by the CRI plugin or podman before
 * the runtime runs) can then no longer be entered: setns needs
 * CAP_SYS_ADMIN over its owner, which only host root has. So such a
 * network, ipc or uts namespace leaves the spec, and hardened-runc, still
 * host root, enters it before it runs the runtime, for create and for
 * every exec: runc and the container inherit it. A pid namespace cannot be
 * inherited that way (only children are born in it, and runc reads pids in
 * its own), so joining one the host's user namespace owns stays refused. */
#ifndef HR_NSENTER_H
#define HR_NSENTER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"

/* One namespace to enter: its type and nsfs inode, as judged. */
struct ns_join {
        int nstype; /* CLONE_NEWNET, CLONE_NEWIPC or CLONE_NEWUTS */
        char *path; /* where create found it (the spec's path) */
        dev_t dev;
        ino_t ino;
};

#define NS_ENTER_MAX 3

struct ns_enter {
        size_t n;
        int nstype[NS_ENTER_MAX];
        int fd[NS_ENTER_MAX]; /* O_CLOEXEC */
};

/* The spec's name of a namespace type ("network", ...), or NULL. */
const char *ns_type_name(int nstype);
int ns_type_of(const char *name); /* 0 when not one of the three */

/* Open path and add it to e, if it is still the nsfs inode judged. */
int ns_enter_add(struct ns_enter *e, int nstype, const char *path, dev_t dev, ino_t ino,
                 struct hr_error *err);
/* Enter every namespace of e (this process's own). */
int ns_enter_all(const struct ns_enter *e, struct hr_error *err);
void ns_enter_close(struct ns_enter *e);

/* The state file's record of what create entered: [{"type": "network",
 * "dev": N, "ino": N}, ...]; and back. */
struct json *ns_joins_to_json(const struct ns_join *v, size_t n);
int ns_joins_from_json(const struct json *a, struct ns_join **v, size_t *n, struct hr_error *err);
void ns_joins_free(struct ns_join *v, size_t n);

#endif
