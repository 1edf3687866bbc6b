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
        struct json *spec = NULL;
        struct hr_error err = {0};
        fuzz_load_profiles();
        if (json_parse((const char *)data, size, &spec, &err) < 0) {
                hr_error_clear(&err);
                return 0;
        }
        for (size_t i = 0; i < FUZZ_PROFILES; i++) {
                struct json *once = NULL, *again = NULL, *back = NULL;
                char *text = NULL;
                size_t len = 0;
                bool changed;
                if (fuzz_judge(json_dup(spec), &fuzz_profiles[i], SCOPE_CREATE, &once, &changed) <
                    0)
                        continue;
                if (json_emit(once, false, &text, &len, &err) < 0)
                        fuzz_fail("an allowed spec does not emit", once);
                if (json_parse(text, len, &back, &err) < 0 || !json_equal(back, once))
                        fuzz_fail("the emitted spec does not parse back to itself", once);
                if (fuzz_judge(back, &fuzz_profiles[i], SCOPE_CREATE, &again, &changed) < 0)
                        fuzz_fail("a hardened spec is refused on a second pass", once);
                if (changed || !json_equal(again, once))
                        fuzz_fail("a second pass changed a hardened spec", once);
                json_free(again);
                json_free(once);
                free(text);
        }
        json_free(spec);
        return 0;
}
