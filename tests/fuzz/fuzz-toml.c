// SPDX-License-Identifier: GPL-2.0-or-later
/* setup's TOML check over any text. Property: an entry is only ever found
 * where the text holds its header and its value (the check reads as
 * missing what it cannot read, never the other way). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "setup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct toml_entry entries[] = {
    {"[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.hr.options]", "BinaryName", "/b",
     false},
    {"[plugins.\"io.containerd.grpc.v1.cri\".containerd]", "default_runtime_name", "hr", false},
    {"[engine.runtimes]", "hr", "/b", true},
    {"[e]", "k", "", false},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = malloc(size + 1);
        if (text == NULL || size > 65536) {
                free(text);
                return 0;
        }
        memcpy(text, data, size);
        text[size] = '\0';
        for (size_t i = 0; i < sizeof(entries) / sizeof(*entries); i++) {
                const struct toml_entry *e = &entries[i];
                if (setup_toml_has(text, e) &&
                    (strstr(text, e->table) == NULL || strstr(text, e->key) == NULL ||
                     strstr(text, e->value) == NULL)) {
                        fprintf(stderr, "entry %zu found where its header, key or value is not\n",
                                i);
                        abort();
                }
        }
        free(text);
        return 0;
}
