/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Seccomp filters in OCI linux.seccomp form: loading and validation. */
#ifndef HR_SECCOMP_PROFILE_H
#define HR_SECCOMP_PROFILE_H

#include "error.h"
#include "json.h"

/* Load the filter named by source ("default": built in; else an absolute
 * path), validate it, and apply mode ("log": every denying action becomes
 * SCMP_ACT_LOG). */
int seccomp_filter_load(const char *source, const char *mode, struct json **out,
                        struct hr_error *err);
/* Validate a linux.seccomp object: actions, operators, architecture and
 * syscall names (through libseccomp). Messages name src. */
int seccomp_filter_validate(const struct json *f, const char *src, struct hr_error *err);
/* Does the filter hand decisions to a user-space agent (SCMP_ACT_NOTIFY or
 * listenerPath)? */
bool seccomp_filter_notifies(const struct json *f);

#endif
