// SPDX-License-Identifier: GPL-2.0-or-later
/* A config.json through load (the OCI reader runc's decoder is modelled
 * on), every rule of each shipped profile, the plan and emit. Properties:
 * nothing crashes or leaks; an allowed spec's emitted document parses back
 * to itself; hardening it a second time changes nothing. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct json *spec = fuzz_parse(data, size);
        fuzz_load_profiles();
        for (size_t i = 0; spec != NULL && i < FUZZ_PROFILES; i++) {
                struct json *once = NULL;
                bool changed;
                if (fuzz_judge(json_dup(spec), &fuzz_profiles[i], SCOPE_CREATE, &once, &changed) ==
                    0)
                        fuzz_check_stable(once, &fuzz_profiles[i], SCOPE_CREATE, FUZZ_SAME_RESULT);
                json_free(once);
        }
        json_free(spec);
        return 0;
}
