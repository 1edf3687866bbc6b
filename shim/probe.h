/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the rules and the staging planner may ask of the host, in one
 * place, so that judging a spec never acts on the kernel by itself:
 *   PROBE_HOST   create: reads the host, and acts where a question needs
 *                it (a child joins a user namespace to read its maps; an
 *                idmapped copy of a mount is made to see that the kernel
 *                can make it). What it made is kept for the staging, so
 *                nothing is made twice, and released by probe_free.
 *   PROBE_READ   dry run: reads the host (stat, realpath, the mount
 *                table) but creates no namespace, mount, process or
 *                file; a path the spec names that is absent here is
 *                unknown, and so is every question that needs an act.
 *   PROBE_BLIND  knows nothing: every answer is unknown. The golden
 *                reports are made with it, so they show what the rules
 *                decide from the spec alone, on any machine.
 * Every question answers 0 (known), -1 (an error or a refusal, errno or
 * err set), or PROBE_UNKNOWN; a rule that gets PROBE_UNKNOWN judges what
 * it can from the spec and reports the rest as judged at create
 * (rule_defer). */
#ifndef HR_PROBE_H
#define HR_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "error.h"
#include "json.h"
#include "mountinfo.h"

#define PROBE_UNKNOWN 1

enum probe_mode {
        PROBE_HOST,
        PROBE_READ,
        PROBE_BLIND,
};

struct probe_tree {
        char *path;
        bool rec;
        bool taken; /* attached somewhere: a second use needs a new copy */
        int fd;
};

struct probe {
        enum probe_mode mode;
        /* PROBE_HOST: the user namespace carrying map, and the idmapped
         * copies made through it */
        char *map;
        int userns_fd;
        struct probe_tree *trees;
        size_t ntrees;
        char *mounts; /* the mount table, read at the first question */
};

void probe_init(struct probe *p, enum probe_mode mode);
void probe_free(struct probe *p);
/* Does the probe read the host at all (not PROBE_BLIND)? */
bool probe_reads(const struct probe *p);
/* "create", "a dry run", "the spec alone": who judged, for the report */
const char *probe_mode_name(enum probe_mode mode);

/* realpath(3); *real is the caller's. */
int probe_realpath(struct probe *p, const char *path, char **real);
/* stat(2), following symlinks. */
int probe_stat(struct probe *p, const char *path, struct stat *st);
/* readlink(2); *target is the caller's. */
int probe_readlink(struct probe *p, const char *path, char **target);
/* Does file begin with prefix (with line: does any line)? An absent file
 * is a known "no". */
int probe_file_has(struct probe *p, const char *file, const char *prefix, bool line, bool *found);
/* Is /sys/fs/cgroup the cgroup v2 (unified) hierarchy? */
int probe_cgroup2(struct probe *p, bool *v2);
/* Does the namespace file path name this process's own namespace of the
 * OCI type? (pathutil.h ns_is_ours) */
int probe_ns_is_ours(struct probe *p, const char *path, const char *oci_type, bool *ours);
/* The user namespace owning the namespace at path (nsprobe.h ns_owner). */
int probe_ns_owner(struct probe *p, const char *path, bool *host, dev_t *dev, ino_t *ino);
/* Each mount of our mount table, as mountinfo_each. */
int probe_mounts(struct probe *p, int (*fn)(const struct mount_line *, void *), void *arg,
                 struct hr_error *err);
/* The maps of the user namespace at path, in host ids (nsprobe.h). */
int probe_userns_maps(struct probe *p, const char *path, struct json **uid_map,
                      struct json **gid_map, struct hr_error *err);
/* A detached copy of the mount at path (recursive with rec), idmapped
 * through the user namespace of map ("0 H N"; or a user namespace's path,
 * "/proc/PID/ns/user", to idmap as a joined namespace maps). The probe owns *fd; asked
 * again for the same path and rec it gives the same copy until one is
 * taken (to be attached: the staging takes what the userns rule's trial
 * made). One map per probe. */
int probe_idmap(struct probe *p, const char *path, bool rec, bool take, const char *map, int *fd,
                struct hr_error *err);

#endif
