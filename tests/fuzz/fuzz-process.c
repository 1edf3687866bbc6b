// SPDX-License-Identifier: GPL-2.0-or-later
/* An exec process document and an update resources document through the
 * rules that judge them (exec's and update's scopes), under each shipped
 * profile. Properties: nothing crashes or leaks; what is allowed emits and
 * parses back to itself; a second pass of exec's rules changes nothing. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const struct json *doc, enum pipeline_scope scope, const struct hr_profile *p)
{
        struct json *w =
            scope == SCOPE_EXEC
                ? json_object_of("process", json_dup(doc), NULL)
                : json_object_of("linux", json_object_of("resources", json_dup(doc), NULL), NULL);
        struct json *once = NULL;
        bool changed;
        if (w == NULL || fuzz_judge(w, p, scope, &once, &changed) < 0)
                return;
        fuzz_check_stable(once, p, scope, scope == SCOPE_EXEC ? FUZZ_SECOND_PASS : FUZZ_ROUNDTRIP);
        json_free(once);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct json *doc = fuzz_parse(data, size);
        fuzz_load_profiles();
        for (size_t i = 0; doc != NULL && i < FUZZ_PROFILES; i++) {
                one(doc, SCOPE_EXEC, &fuzz_profiles[i]);
                one(doc, SCOPE_UPDATE, &fuzz_profiles[i]);
        }
        json_free(doc);
        return 0;
}
