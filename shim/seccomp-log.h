/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hardened-runc seccomp-log: a container's seccomp records, by call name. */
#ifndef HR_SECCOMP_LOG_H
#define HR_SECCOMP_LOG_H

#include <stdio.h>

#include "error.h"
#include "policy.h"
#include "runc-args.h"

/* Listen for the seccomp audit records of a's container (its pid namespace)
 * for seconds (0: until SIGINT/SIGTERM), then print "name count" lines,
 * most first. */
int seccomp_log_run(const struct runc_args *a, const struct hr_config *cfg, long seconds, FILE *out,
                    struct hr_error *err);

#endif
