// SPDX-License-Identifier: GPL-2.0-or-later
/* The staging planner: what the userns rule decides (staging_decide) and
 * the steps made of it (staging_steps), with the layers given as data, so
 * that every shape of rootfs is checked on any machine. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "helpers.h"
#include "plan.h"

#define DIR_ "/run/hardened-runc/+run+runc/c1"

static struct json *spec_with_mounts(void)
{
        return parse_or_die("{\"mounts\":["
                            "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                            "{\"destination\":\"/etc/hosts\",\"type\":\"bind\","
                            "\"source\":\"" DIR_ "/v/0\",\"options\":[\"rbind\"]}]}");
}

/* A plan as the userns rule leaves it for an overlay rootfs. */
static void overlay_plan(struct staging_plan *p, bool upper, bool writable)
{
        memset(p, 0, sizeof(*p));
        p->strategy = STRATEGY_SHIFT;
        p->why = strdup("test");
        p->map = strdup("0 1073741824 65536");
        p->host_id = 1073741824;
        p->dir = strdup(DIR_);
        p->rootfs = strdup(DIR_ "/rootfs");
        p->written = strdup("/var/lib/docker/overlay2/X/merged");
        p->source = strdup("/var/lib/docker/overlay2/X/merged");
        p->layers_known = true;
        p->overlay = true;
        p->upper = upper ? strdup("/var/lib/docker/overlay2/X/diff") : NULL;
        cr_assert_eq(strlist_add(&p->lowers, "/var/lib/docker/overlay2/L1/diff"), 0);
        cr_assert_eq(strlist_add(&p->lowers, "/var/lib/docker/overlay2/L2/diff"), 0);
        p->writable = writable;
        p->volumes = calloc(1, sizeof(*p->volumes));
        p->volumes[0] =
            (struct staged_volume){.mount_index = 1,
                                   .source = strdup("/var/lib/docker/containers/C/hosts"),
                                   .target = strdup(DIR_ "/v/0"),
                                   .is_dir = 0};
        p->nvolumes = 1;
}

static char *steps_text(struct staging_plan *p)
{
        cleanup_json struct json *spec = spec_with_mounts();
        struct probe blind;
        struct hr_error err = {0};
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        probe_init(&blind, PROBE_BLIND);
        cr_assert_eq(staging_steps(p, spec, &blind, &err), 0, "%s", hr_error_msg(&err));
        staging_plan_print(f, p);
        fclose(f);
        probe_free(&blind);
        return out;
}

Test(plan, a_writable_overlay_writes_to_its_own_upper_layer)
{
        struct staging_plan p;
        overlay_plan(&p, true, true);
        cleanup_free char *out = steps_text(&p);
        cr_assert_not_null(
            strstr(out,
                   "plan: idmap /var/lib/docker/overlay2/X through \"0 1073741824 65536\" at " DIR_
                   "/u\n"),
            "%s", out);
        cr_assert_not_null(strstr(out, "plan: make /var/lib/docker/overlay2/X/" WORKDIR_NAME), "%s",
                           out);
        cr_assert_not_null(strstr(out, "writable: lowerdir=" DIR_ "/l/0:" DIR_ "/l/1,upperdir=" DIR_
                                       "/u/diff,workdir=" DIR_ "/u/" WORKDIR_NAME ",index=off"),
                           "%s", out);
        /* runc wants a file where a file is bound */
        cr_assert_not_null(strstr(out, "mountpoint /etc/hosts (a file)"), "%s", out);
        cr_assert_not_null(strstr(out, "mountpoint /proc (a directory)"), "%s", out);
        cr_assert_not_null(strstr(out, "idmap /var/lib/docker/containers/C/hosts"), "%s", out);
        staging_plan_free(&p);
}

/* tmpfs before Linux 6.3 cannot be idmapped: such a volume is staged as a
 * plain copy; every staged volume is nosuid,nodev, whatever flags the
 * runtime applies to its bind of it */
Test(plan, a_volume_that_cannot_be_idmapped_is_staged_as_a_plain_copy)
{
        struct staging_plan p;
        overlay_plan(&p, true, true);
        cleanup_free char *idmapped = steps_text(&p);
        cr_assert_not_null(strstr(idmapped,
                                  "idmap /var/lib/docker/containers/C/hosts (with the "
                                  "mounts below it) through \"0 1073741824 65536\" at " DIR_
                                  "/v/0, nosuid,nodev"),
                           "%s", idmapped);
        staging_plan_free(&p);
        overlay_plan(&p, true, true);
        p.volumes[0].plain = true;
        cleanup_free char *out = steps_text(&p);
        cr_assert_null(strstr(out, "idmap /var/lib/docker/containers/C/hosts"), "%s", out);
        cr_assert_not_null(strstr(out, "attach a copy of /var/lib/docker/containers/C/hosts (with "
                                       "the mounts below it) at " DIR_ "/v/0, nosuid,nodev"),
                           "%s", out);
        cr_assert_not_null(strstr(out, "mountpoint /etc/hosts (a file)"), "%s", out);
        staging_plan_free(&p);
}

Test(plan, a_read_only_overlay_reads_its_upper_layer_as_a_lower_one)
{
        struct staging_plan p;
        overlay_plan(&p, true, false);
        cleanup_free char *out = steps_text(&p);
        cr_assert_not_null(
            strstr(out, "read-only: lowerdir=" DIR_ "/u/diff:" DIR_ "/l/0:" DIR_ "/l/1\n"), "%s",
            out);
        cr_assert_null(strstr(out, WORKDIR_NAME), "no work directory for a read-only root: %s",
                       out);
        staging_plan_free(&p);
}

/* A pod's network namespace, which the host's user namespace owns: a fresh
 * sysfs staged for it, and entered before the runtime runs. */
Test(plan, a_namespace_of_the_host_is_entered_and_gets_a_fresh_sysfs)
{
        struct staging_plan p;
        struct staged_kernfs k = {"sysfs", CLONE_NEWNET, "/run/netns/cni-1", 4, 4026532300,
                                  true,    NULL};
        struct ns_join e = {CLONE_NEWNET, "/run/netns/cni-1", 4, 4026532300};
        const char *target = NULL;
        overlay_plan(&p, true, false);
        cr_assert_eq(staging_add_kernfs(&p, &k, &target), 0);
        cr_assert_str_eq(target, DIR_ "/k/0");
        cr_assert_eq(staging_add_enter(&p, &e), 0);
        cleanup_free char *out = steps_text(&p);
        cr_assert_not_null(strstr(out, "plan: make the directory " DIR_ "/k\n"), "%s", out);
        cr_assert_not_null(strstr(out, "plan: mount a fresh sysfs, read-only, for the namespace "
                                       "/run/netns/cni-1 (nsfs inode 4026532300) at " DIR_ "/k/0"),
                           "%s", out);
        cr_assert_not_null(strstr(out, "plan: enter the network namespace /run/netns/cni-1 (nsfs "
                                       "inode 4026532300) before the runtime runs"),
                           "%s", out);
        staging_plan_free(&p);
}

Test(plan, root_only_binds_the_rootfs_and_stages_no_volume)
{
        struct staging_plan p;
        overlay_plan(&p, true, true);
        p.strategy = STRATEGY_ROOT_ONLY;
        cleanup_free char *out = steps_text(&p);
        cr_assert_not_null(strstr(out, "plan: bind /var/lib/docker/overlay2/X/merged at " DIR_
                                       "/rootfs, with the mounts below it\n"),
                           "%s", out);
        cr_assert_null(strstr(out, "idmap"), "%s", out);
        staging_plan_free(&p);
}

Test(plan, a_rootfs_not_known_here_is_probed_at_create)
{
        struct staging_plan p;
        overlay_plan(&p, true, true);
        free(p.source);
        p.source = NULL;
        p.layers_known = false;
        cleanup_free char *out = steps_text(&p);
        cr_assert_not_null(
            strstr(out, "plan: at create, resolve /var/lib/docker/overlay2/X/merged"), "%s", out);
        cr_assert_null(strstr(out, "mountpoint"), "%s", out);
        staging_plan_free(&p);
}

static int decide(enum probe_mode mode, const char *rootfs, enum userns_strategy want,
                  struct staging_plan *p, struct hr_error *err)
{
        struct probe pr;
        struct stage_request r = {.dir = DIR_,
                                  .bundle = "/nonexistent",
                                  .rootfs = rootfs,
                                  .want = want,
                                  .host_id = 1073741824,
                                  .size = 65536,
                                  .writable = true};
        int rc;
        probe_init(&pr, mode);
        rc = staging_decide(&pr, &r, p, err);
        probe_free(&pr);
        return rc;
}

Test(plan, a_dry_run_plans_the_strategy_asked_for)
{
        struct staging_plan p;
        struct hr_error err = {0};
        cr_assert_eq(decide(PROBE_BLIND, "rootfs", STRATEGY_AUTO, &p, &err), 0);
        cr_assert_eq(p.strategy, STRATEGY_SHIFT);
        cr_assert_not_null(strstr(p.why, "else root-only"), "%s", p.why);
        cr_assert_str_eq(p.written, "/nonexistent/rootfs");
        cr_assert_null(p.source);
        staging_plan_free(&p);
        cr_assert_eq(decide(PROBE_BLIND, "rootfs", STRATEGY_ROOT_ONLY, &p, &err), 0);
        cr_assert_eq(p.strategy, STRATEGY_ROOT_ONLY);
        staging_plan_free(&p);
}

Test(plan, a_dry_run_reads_a_rootfs_that_is_here)
{
        cleanup_free char *dir = make_temp_dir();
        struct staging_plan p;
        struct hr_error err = {0};
        cr_assert_eq(decide(PROBE_READ, dir, STRATEGY_SHIFT, &p, &err), 0, "%s",
                     hr_error_msg(&err));
        cr_assert_str_eq(p.source, dir);
        cr_assert(p.layers_known);
        cr_assert(!p.overlay, "a plain directory");
        staging_plan_free(&p);
        rm_tree(dir);
}

Test(plan, create_refuses_a_rootfs_that_does_not_resolve)
{
        struct staging_plan p;
        struct hr_error err = {0};
        cr_assert_eq(decide(PROBE_HOST, "/nonexistent/rootfs", STRATEGY_SHIFT, &p, &err), -1);
        cr_assert_not_null(strstr(hr_error_msg(&err), "rootfs /nonexistent/rootfs"), "%s",
                           hr_error_msg(&err));
        hr_error_clear(&err);
}
