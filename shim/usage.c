// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>

#include "hr-config.h"
#include "pipeline.h"
#include "usage.h"

void usage_print(FILE *f)
{
        fprintf(
            f,
            "hardened-runc %s: an OCI runtime that hardens container specs, then runs the real "
            "runtime.\n\n"
            "usage: hardened-runc [OUR FLAGS] [RUNC GLOBAL FLAGS] COMMAND [ARGS...]\n\n"
            "Our flags (before the command; removed before the real runtime runs):\n"
            "  --profile NAME|PATH   policy profile (default: the admin config's, else "
            "restricted)\n"
            "  --config PATH         admin config (default %s)\n"
            "  --dry-run[=MODE]      print instead of running: spec (default), diff, or report\n"
            "                        (the changes, then the staging plan); acts on nothing\n\n"
            "Our commands:\n"
            "  check [--format text|json] [--id ID] FILE | - | --bundle DIR | --running\n"
            "                        judge a spec by the profile and change nothing: each finding\n"
            "                        with its rule, JSON pointer, value, what the profile wants\n"
            "                        and its CIS Docker Benchmark v1.6.0 and Pod Security "
            "control;\n"
            "                        --running judges every container of --root. Exit 0 when\n"
            "                        compliant, 1 when not, 2 on bad input\n"
            "  setup docker|containerd|podman [--default] [--name NAME] [--profile P]\n"
            "        [--dry-run] [--reload] [--remove] [--path BIN] [--daemon-json PATH]\n"
            "        [--pid-file PATH] [--config-toml PATH] [--containers-conf PATH]\n"
            "                        register as a runtime: docker's daemon.json is merged (a\n"
            "                        backup kept; --reload signals dockerd, --remove takes our\n"
            "                        entries out); for containerd and podman the snippet to add\n"
            "                        is printed and the file checked for it (exit 1 until it is\n"
            "                        there). Exit 2 on error\n"
            "  keys                  every profile and admin config key: its type, its default\n"
            "                        and, for a rule, the CIS and Pod Security controls\n"
            "  fields                every field of the OCI runtime spec, its type, and the rule\n"
            "                        that judges it (or why it is harmless or refused)\n"
            "  gc                    remove the staging and state of containers of --root that\n"
            "                        the runtime no longer knows\n"
            "  seccomp-log [--seconds N] ID\n"
            "                        the system calls the container's seccomp filter denied\n"
            "                        (or logged, in mode log), by name, from the kernel's audit\n"
            "                        records, for N seconds or until ^C\n\n"
            "create, run and restore rewrite the bundle's config.json; exec hands the runtime a\n"
            "hardened process, update clamped resources, both under the profile the container\n"
            "was created with.\n\n"
            "Rules, in order (C: create, run, restore; E: exec; U: update):\n",
            HR_VERSION, HR_DEFAULT_CONFIG);
        for (size_t i = 0; i < rule_count; i++) {
                unsigned sc = rule_table[i]->scopes;
                fprintf(f, "  %-11s %c%c%c %s\n", rule_table[i]->name,
                        sc & SCOPE_CREATE ? 'C' : '-', sc & SCOPE_EXEC ? 'E' : '-',
                        sc & SCOPE_UPDATE ? 'U' : '-', rule_table[i]->summary);
        }
        fprintf(f, "\nEverything else is runc's; its help follows.\n\n");
}
