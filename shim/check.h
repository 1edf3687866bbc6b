/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check: judge a spec by a profile and change nothing. Each finding names
 * its rule, JSON pointer, value, what the profile wants and the published
 * control it answers (controls.h). The spec alone decides (PROBE_BLIND):
 * no rootfs is read, and what only the host can tell at create (a bind
 * source's real path, whether a cgroup is empty, the dockerd behind a
 * hook) is listed as not judged here. */
#ifndef HR_CHECK_H
#define HR_CHECK_H

#include <stdio.h>

#include "error.h"
#include "policy.h"
#include "runc-args.h"

/* check FILE | - | --bundle DIR | --running, with --format text|json.
 * Returns 0 when every spec complies, 1 when one does not, -1 on bad
 * input (err set; nothing printed for it). in: what "-" reads. */
int check_run(const struct runc_args *a, const struct hr_config *cfg, int in, FILE *out,
              struct hr_error *err);

#endif
