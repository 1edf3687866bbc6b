// SPDX-License-Identifier: GPL-2.0-or-later
/* setup's check of a containerd or podman TOML file for our entry: the
 * forms an admin may write it in are found; what is not our entry, or not
 * where it takes effect, is not. */
#define _GNU_SOURCE
#include <criterion/criterion.h>

#include "setup.h"

#define OPTS "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.hardened.options]"

static const struct toml_entry bin = {OPTS, "BinaryName", "/usr/bin/hardened-runc", false};
static const struct toml_entry podman = {"[engine.runtimes]", "hardened", "/usr/bin/hardened-runc",
                                         true};

Test(setup_toml, the_forms_an_admin_writes_are_found)
{
        static const char *const found[] = {
            OPTS "\n  BinaryName = \"/usr/bin/hardened-runc\"\n",
            OPTS "\nBinaryName=\"/usr/bin/hardened-runc\"\n",
            OPTS "  # ours\n\tBinaryName =  '/usr/bin/hardened-runc'  # the shim\n",
            OPTS "\r\n  \"BinaryName\" = \"/usr/bin/hardened-runc\"\r\n",
            OPTS "\n  SystemdCgroup = true\n\n  BinaryName = \"/usr/bin/hardened-runc\"\n[other]\n",
        };
        for (size_t i = 0; i < sizeof(found) / sizeof(*found); i++)
                cr_assert(setup_toml_has(found[i], &bin), "not found in:\n%s", found[i]);
}

Test(setup_toml, what_is_not_our_entry_is_not_found)
{
        static const char *const missing[] = {
            "",
            OPTS "\n  # BinaryName = \"/usr/bin/hardened-runc\"\n",
            OPTS "\n  BinaryName = \"/usr/bin/hardened-runc2\"\n",
            OPTS "\n  BinaryName = \"/usr/bin/hardened-runc\" junk\n",
            OPTS "\n  BinaryNames = \"/usr/bin/hardened-runc\"\n",
            OPTS "\n  BinaryName = \"/usr/bin/hardened\\u002drunc\"\n", /* an escape: not decoded */
            OPTS "\n  BinaryName = \"/usr/bin/hardened-runc\n",
            OPTS "\n[other]\n  BinaryName = \"/usr/bin/hardened-runc\"\n",
            "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.hardened2.options]\n"
            "  BinaryName = \"/usr/bin/hardened-runc\"\n",
            "BinaryName = \"/usr/bin/hardened-runc\"\n" OPTS "\n",
        };
        for (size_t i = 0; i < sizeof(missing) / sizeof(*missing); i++)
                cr_assert(!setup_toml_has(missing[i], &bin), "found in:\n%s", missing[i]);
}

Test(setup_toml, a_podman_runtime_is_found_among_its_paths)
{
        cr_assert(setup_toml_has("[engine.runtimes]\nhardened = [\"/usr/bin/hardened-runc\"]\n",
                                 &podman));
        cr_assert(setup_toml_has("[engine.runtimes]\nhardened = [ '/opt/hr', "
                                 "\"/usr/bin/hardened-runc\" , ]  # two\n",
                                 &podman));
        cr_assert(!setup_toml_has("[engine.runtimes]\nhardened = [\"/opt/hr\"]\n", &podman));
        cr_assert(
            !setup_toml_has("[engine.runtimes]\nhardened = \"/usr/bin/hardened-runc\"\n", &podman));
        cr_assert(!setup_toml_has("[engine.runtimes]\nhardened = [\"/usr/bin/hardened-runc\"\n",
                                  &podman));
        cr_assert(!setup_toml_has("[engine]\nhardened = [\"/usr/bin/hardened-runc\"]\n", &podman));
}
