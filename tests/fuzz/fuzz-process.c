// SPDX-License-Identifier: GPL-2.0-or-later
/* An exec process document and an update resources document through the
 * rules that judge them (exec's and update's scopes), under each shipped
 * profile. Properties: nothing crashes or leaks; what is allowed emits and
 * parses back to itself; a second pass of exec's rules changes nothing. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const struct json *doc, const char *wrap, enum pipeline_scope scope,
                const struct hr_profile *p)
{
        struct json *w =
            scope == SCOPE_EXEC
                ? json_object_of(wrap, json_dup(doc), NULL)
                : json_object_of("linux", json_object_of("resources", json_dup(doc), NULL), NULL);
        struct json *once = NULL, *again = NULL, *back = NULL;
        struct hr_error err = {0};
        char *text = NULL;
        size_t len = 0;
        bool changed;
        if (w == NULL || fuzz_judge(w, p, scope, &once, &changed) < 0)
                return;
        if (json_emit(once, false, &text, &len, &err) < 0 ||
            json_parse(text, len, &back, &err) < 0 || !json_equal(back, once))
                fuzz_fail("an allowed document does not emit and parse back to itself", once);
        if (scope == SCOPE_EXEC) {
                if (fuzz_judge(back, p, scope, &again, &changed) < 0)
                        fuzz_fail("a hardened process is refused on a second pass", once);
                if (changed)
                        fuzz_fail("a second pass changed a hardened process", once);
                json_free(again);
        } else {
                json_free(back);
        }
        json_free(once);
        free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct json *doc = NULL;
        struct hr_error err = {0};
        fuzz_load_profiles();
        if (json_parse((const char *)data, size, &doc, &err) < 0) {
                hr_error_clear(&err);
                return 0;
        }
        for (size_t i = 0; i < FUZZ_PROFILES; i++) {
                one(doc, "process", SCOPE_EXEC, &fuzz_profiles[i]);
                one(doc, NULL, SCOPE_UPDATE, &fuzz_profiles[i]);
        }
        json_free(doc);
        return 0;
}
