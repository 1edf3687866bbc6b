// SPDX-License-Identifier: GPL-2.0-or-later
/* Build-time check: every shipped profile and seccomp filter loads through
 * the shim's own validation (capability names with libcap-ng, syscall and
 * architecture names with libseccomp). Writes the stamp file on success.
 * usage: validate STAMP FILE... (seccomp filters end in .seccomp.json or
 * live in a seccomp/ directory; the rest are profiles) */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "bundle.h"
#include "cleanup.h"
#include "policy.h"
#include "seccomp-profile.h"

static int check(const char *path)
{
        struct hr_error err = {0};
        int rc;
        if (strstr(path, "/seccomp/") != NULL) {
                cleanup_json struct json *f = NULL;
                rc = json_load_path(path, JSON_OCI, &f, &err) < 0
                         ? -1
                         : seccomp_filter_validate(f, path, &err);
        } else {
                struct hr_config cfg = {.default_profile = "restricted",
                                        .profile_dir = "/nonexistent"};
                struct hr_profile p;
                rc = profile_load(&cfg, path, &p, &err);
                if (rc == 0)
                        profile_free(&p);
        }
        if (rc < 0)
                fprintf(stderr, "invalid: %s\n", hr_error_msg(&err));
        hr_error_clear(&err);
        return rc;
}

int main(int argc, char **argv)
{
        int bad = 0;
        FILE *stamp;
        for (int i = 2; i < argc; i++)
                bad |= check(argv[i]) < 0;
        if (argc < 2 || bad)
                return 1;
        stamp = fopen(argv[1], "we");
        if (stamp == NULL || fputs("validated\n", stamp) < 0 || fclose(stamp) != 0)
                return 1;
        return 0;
}
