// SPDX-License-Identifier: GPL-2.0-or-later
/* The manuals are true to the code: every word of our command line is in
 * hardened-runc(8) and in --help, and hardened-runc-policy(5) carries the
 * key table `hardened-runc keys` prints (every profile and admin config
 * key), and every admin config key in it is one config_load reads. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "helpers.h"
#include "keys.h"
#include "pipeline.h"
#include "policy.h"
#include "runc-args.h"
#include "usage.h"

#define MAN8 FIXTURES_DIR "/../../man/hardened-runc.8"
#define MAN5 FIXTURES_DIR "/../../man/hardened-runc-policy.5"

static char *captured(void (*print)(FILE *))
{
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        cr_assert_not_null(f);
        print(f);
        cr_assert_eq(fclose(f), 0);
        return text;
}

static void print_keys(FILE *f)
{
        cr_assert_eq(keys_print(f), 0);
}

/* "--dry-run" as the manual's source writes it: "\-\-dry\-run" */
static char *roff(const char *word)
{
        char *out = malloc(2 * strlen(word) + 1), *o = out;
        cr_assert_not_null(out);
        for (const char *w = word; *w; w++) {
                if (*w == '-')
                        *o++ = '\\';
                *o++ = *w;
        }
        *o = '\0';
        return out;
}

struct texts {
        const char *man, *help;
        size_t n;
};

static void word_is_documented(const char *word, void *arg)
{
        struct texts *t = arg;
        cleanup_free char *w = roff(word);
        cr_assert(strstr(t->man, w) != NULL, "hardened-runc.8 does not mention %s", word);
        cr_assert(strstr(t->help, word) != NULL, "--help does not mention %s", word);
        t->n++;
}

Test(manuals, every_flag_and_command_of_ours_is_in_the_manual_and_help)
{
        cleanup_free char *man = slurp(MAN8, NULL);
        cleanup_free char *help = captured(usage_print);
        struct texts t = {man, help, 0};
        runc_args_our_words(word_is_documented, &t);
        cr_assert_geq(t.n, 12, "only %zu words", t.n);
}

Test(manuals, the_policy_manual_carries_the_key_table)
{
        cleanup_free char *man = slurp(MAN5, NULL);
        cleanup_free char *keys = captured(print_keys);
        const char *start = strstr(man, ".SH PROFILE AND ADMIN CONFIG KEYS");
        cr_assert_not_null(start, "hardened-runc-policy.5: no key table section");
        start = strstr(start, ".ft CR\n");
        cr_assert_not_null(start);
        start += strlen(".ft CR\n");
        cr_assert_eq(strncmp(start, keys, strlen(keys)), 0,
                     "hardened-runc-policy.5's key table differs from `hardened-runc keys`: paste "
                     "its output between .ft CR and .ft R");
        cr_assert_eq(strncmp(start + strlen(keys), ".ft R\n", 6), 0, "the key table is longer");
        /* and the table has every parameter of every rule */
        for (size_t i = 0; i < rule_count; i++)
                for (const struct param_field *f = rule_table[i]->fields; f && f->key; f++) {
                        cleanup_free char *k = NULL;
                        cr_assert(asprintf(&k, "\nrules.%s.%s ", rule_table[i]->name, f->key) > 0);
                        cr_assert(strstr(keys, k) != NULL, "key table: no %s", k + 1);
                }
}

/* Every rule has an entry in the policy manual's RULES section and the
 * field table there is `hardened-runc fields`' (test-fields.c). Here: each
 * admin key the table names is one the loader reads. */
Test(manuals, every_admin_key_in_the_table_is_read)
{
        char *dir = make_temp_dir();
        cleanup_free char *file = NULL;
        const char *text =
            "{\"runtime\":\"/usr/bin/crun\",\"defaultProfile\":\"baseline\",\"profileDir\":\"/p\","
            "\"annotationProfiles\":[\"strict\"],"
            "\"decisionLog\":{\"syslog\":false,\"file\":\"/var/log/"
            "hr.jsonl\",\"exec\":\"changed\"},"
            "\"hooks\":[{\"path\":\"/usr/bin/h\",\"args\":[\"h\"],\"env\":[\"A=*\"],"
            "\"stages\":[\"prestart\"]}]}";
        struct hr_config c;
        struct hr_error err = {0};
        cr_assert(asprintf(&file, "%s/config.json", dir) > 0);
        write_file(file, text, strlen(text), 0644);
        cr_assert_eq(config_load(file, &c, &err), 0, "%s", hr_error_msg(&err));
        config_free(&c);
        for (size_t i = 0; i < admin_key_count; i++) {
                /* "decisionLog.exec" is "exec" in the object "decisionLog";
                 * "hooks[].path" is "path" in an item of "hooks" */
                const char *k = admin_keys[i].key;
                const char *leaf = strrchr(k, '.') ? strrchr(k, '.') + 1 : k;
                cleanup_free char *quoted = NULL;
                cr_assert(asprintf(&quoted, "\"%s\":", leaf) > 0);
                cr_assert(strstr(text, quoted) != NULL, "the test config does not set %s", k);
        }
        rm_tree(dir);
        free(dir);
}
