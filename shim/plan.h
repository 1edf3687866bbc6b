/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The staging plan: how a container's rootfs and volumes are made visible
 * to its user namespace, as a list of steps.
 *
 * Docker keeps rootfs trees under /var/lib/docker (0710 root:root), which
 * the container's mapped root cannot traverse, and image files keep their
 * owners, which a shifted mapping turns into "nobody". So the rootfs is
 * staged in the container's directory (container_dir, staging.h), at
 * DIR/rootfs, either
 *   shift:     re-assembled from idmapped copies of its layers (an overlay
 *              mount cannot be idmapped, its layers can): owners inside
 *              are the image's own under the fully shifted mapping. With a
 *              writable root the overlay gets the rootfs's own upper layer
 *              (Docker's upperdir), idmapped, as its upper, so writes land
 *              where `docker diff` and `docker commit` look, owned on disk
 *              as without the shim; read-only, the upper layer is one more
 *              lower. A plain directory rootfs is one idmapped bind.
 *              Bind-mounted volumes become idmapped binds too; or
 *   root-only: bound as it is, container root alone mapped to an
 *              unprivileged host uid and every other uid left as it is.
 *
 * Three stages, each apart from the others:
 *   staging_decide   the userns rule's choice (strategy, layers, volumes,
 *                    writable), asking only the probe (probe.h);
 *   staging_steps    after every rule has passed, the steps for the final
 *                    spec: printed by a dry run, applied by a create;
 *   staging_apply    (staging.h) carries them out. */
#ifndef HR_PLAN_H
#define HR_PLAN_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"
#include "params.h"
#include "nsenter.h"
#include "probe.h"

enum userns_strategy {
        STRATEGY_AUTO,
        STRATEGY_SHIFT,
        STRATEGY_ROOT_ONLY,
};

/* The directory, next to the upper layer, where overlay keeps its work
 * (it must be on the upper layer's mount). */
#define WORKDIR_NAME "hardened-runc-work"
/* DIR/WORKDIR_FILE names it, so that removal finds it. */
#define WORKDIR_FILE "workdir"

struct staged_volume {
        size_t mount_index; /* in the spec's mounts */
        char *source;       /* host path */
        char *target;       /* where it is staged: DIR/v/N */
        int is_dir;         /* 1, 0, or -1: not known here */
        /* flags of the mount holding the source that a user namespace
         * cannot drop (the kernel locks them): "noexec", "ro", ...; runc
         * 1.1 before 1.1.10 remounts without them and fails */
        struct strlist locked;
        /* its filesystem cannot be idmapped here (tmpfs before Linux 6.3,
         * e.g. Docker's --ipc shareable /dev/shm): staged as a plain copy,
         * nosuid,nodev, so its files show with their host owners, unmapped
         * ones as nobody. Never weaker than an idmapped bind, which would
         * let the container's root act as the owner of root's files there. */
        bool plain;
};

/* A kernel filesystem (sysfs, mqueue) of a namespace the spec joins that
 * the host's user namespace owns: the kernel refuses the container's own
 * user namespace a fresh one there (only the owner's root may mount it),
 * so hardened-runc, host root and so capable in every user namespace,
 * mounts a fresh one for that namespace and the container gets it as a
 * bind. It shows that namespace alone: the joined network namespace's
 * devices, the joined ipc namespace's queues. */
struct staged_kernfs {
        const char *fstype; /* "sysfs" or "mqueue" (static) */
        int nstype;         /* CLONE_NEWNET or CLONE_NEWIPC */
        char *ns_path;      /* the joined namespace, as the spec names it */
        dev_t dev;          /* its nsfs inode, as judged: the one mounted for */
        ino_t ino;
        bool ro;
        char *target; /* where it is staged: DIR/k/N */
};

enum step_kind {
        STEP_DIR,        /* make dst (a directory of ours) */
        STEP_MOUNTPOINT, /* create dst below the rootfs src where missing */
        STEP_BIND,       /* bind src at dst (recursive) */
        STEP_IDMAP,      /* attach the idmapped copy of src at dst */
        STEP_COPY,       /* attach a copy of src at dst, nosuid,nodev (not idmapped) */
        STEP_WORKDIR,    /* make dst, next to the upper layer, for overlay's work */
        STEP_OVERLAY,    /* mount an overlay at dst with options src */
        STEP_KERNFS,     /* mount plan->kernfs[index] fresh for its namespace at dst */
        STEP_AT_CREATE,  /* not known here: what create will probe (src says) */
};

struct step {
        enum step_kind kind;
        char *src, *dst;
        bool rec;  /* BIND, IDMAP: with the mounts below */
        bool file; /* MOUNTPOINT, IDMAP: a file, not a directory */
        bool rw;   /* OVERLAY: writable */
        /* IDMAP: the copy is nosuid,nodev (a volume): a bind the runtime
         * makes of it keeps those flags whatever options it applies (crun
         * 1.8 dropped a volume's nosuid,nodev) */
        bool nosuid_nodev;
        size_t index; /* KERNFS: which */
};

struct staging_plan {
        /* staging_decide */
        enum userns_strategy strategy; /* SHIFT or ROOT_ONLY */
        char *why;                     /* why, for the report */
        char *map;                     /* the shift map, "0 H N", or a joined userns's path */
        long long host_id;             /* H */
        char *dir;                     /* the container's directory */
        char *rootfs;                  /* DIR/rootfs: the new root.path */
        char *written;                 /* root.path as the spec has it, from the bundle */
        char *source;                  /* root.path resolved; NULL: not known here */
        bool layers_known;             /* the mount table was read */
        bool overlay;                  /* source is an overlay mount */
        char *upper;                   /* its upper layer, or NULL */
        struct strlist lowers;         /* its lower layers, top first */
        bool writable;                 /* the staged root takes writes */
        char *writable_why;            /* why not, when the spec wanted it */
        struct staged_volume *volumes; /* shift: bind-mount sources */
        size_t nvolumes;
        struct staged_kernfs *kernfs; /* the userns rule's, after staging_decide */
        size_t nkernfs;
        struct ns_join *enter; /* namespaces to enter before the runtime runs */
        size_t nenter;
        /* staging_steps */
        struct step *steps;
        size_t nsteps;
};

struct stage_request {
        const char *dir;    /* the container's directory */
        const char *bundle; /* relative paths start here */
        const char *rootfs; /* root.path */
        const struct json *mounts;
        enum userns_strategy want;
        long long host_id;
        long long size;
        bool writable; /* root.readonly is not true */
        /* a joined user namespace (another container's): layers are
         * idmapped through it instead of a map of host_id and size */
        const char *userns_path;
};

/* Decide how to stage, asking p. A shift the probe cannot check here (a
 * dry run) is planned as asked and checked at create. -1 with err set when
 * staging cannot work (strategy shift on a kernel that cannot idmap a
 * layer, a rootfs that does not resolve). */
int staging_decide(struct probe *pr, const struct stage_request *r, struct staging_plan *p,
                   struct hr_error *err);

/* Add a kernel filesystem to stage for a joined namespace; *target is
 * where (the plan's). -1 when out of memory. */
int staging_add_kernfs(struct staging_plan *plan, const struct staged_kernfs *k,
                       const char **target);

/* Add a namespace to enter before the runtime runs (nsenter.h). */
int staging_add_enter(struct staging_plan *plan, const struct ns_join *e);

/* The steps for the final spec. */
int staging_steps(struct staging_plan *p, const struct json *spec, struct probe *pr,
                  struct hr_error *err);

/* One "plan: ..." line per step. */
void staging_plan_print(FILE *out, const struct staging_plan *plan);

void staging_plan_free(struct staging_plan *plan);

#endif
