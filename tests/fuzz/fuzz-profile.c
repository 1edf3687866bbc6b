// SPDX-License-Identifier: GPL-2.0-or-later
/* A profile document over the restricted base, and an admin config.
 * Properties: nothing crashes or leaks; a profile that loads is named. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct hr_config cfg = {.default_profile = "restricted", .profile_dir = "/nonexistent"};
        struct hr_profile p;
        struct hr_error err = {0};
        char path[] = "/tmp/hr-fuzz-config.XXXXXX";
        int fd;
        if (profile_load(&cfg, "restricted", &p, &err) < 0)
                abort();
        if (profile_overlay(&p, (const char *)data, size, "fuzz.json", &err) == 0 && p.name == NULL)
                abort();
        hr_error_clear(&err);
        profile_free(&p);
        /* the admin config: through a file, as config_load reads it */
        if ((fd = mkstemp(path)) < 0)
                return 0;
        if (write(fd, data, size) == (ssize_t)size) {
                struct hr_config c;
                if (config_load(path, &c, &err) == 0)
                        config_free(&c);
                hr_error_clear(&err);
        }
        close(fd);
        unlink(path);
        return 0;
}
