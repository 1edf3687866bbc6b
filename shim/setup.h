/* SPDX-License-Identifier: GPL-2.0-or-later */
/* setup: register hardened-runc with a container engine.
 *   docker      merge a runtime entry (and, with --default, default-runtime)
 *               into daemon.json with our JSON model: every other key and
 *               its order kept, a malformed file refused with nothing
 *               changed, written atomically after a timestamped backup;
 *               --remove takes our entries out again; --reload sends
 *               dockerd SIGHUP through its pid file.
 *   containerd  TOML is beyond our dependencies: print the runtime
 *   podman      handler's exact snippet and where it goes, and check the
 *               config file for it (exit 1 while it is missing).
 * --dry-run prints the change as a unified diff and changes nothing. */
#ifndef HR_SETUP_H
#define HR_SETUP_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "policy.h"
#include "runc-args.h"

/* 0 done (or, for containerd and podman, the entry is there), 1 the entry
 * is missing (containerd, podman), -1 on error (err set, nothing changed). */
int setup_run(const struct runc_args *a, FILE *out, struct hr_error *err);

/* One entry of a containerd or podman TOML file: below the header exactly
 * table (as our snippets write it), before the next header, the line
 * `key = "value"`, or with in_array `key = [..., "value", ...]`. Blanks
 * around '=', a quoted key, 'literal' strings, a trailing comment and CRLF
 * are read; a dotted key, an inline table and a value over several lines
 * are not (no TOML parser here): those read as missing, never as there. */
struct toml_entry {
        const char *table;
        const char *key;
        const char *value;
        bool in_array;
};

bool setup_toml_has(const char *text, const struct toml_entry *e);

#endif
