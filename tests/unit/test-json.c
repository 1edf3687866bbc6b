// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "helpers.h"
#include "json.h"

static void refused(const char *text, size_t len, const char *expect_in_msg)
{
        struct hr_error err = {0};
        struct json *j = NULL;
        int rc = json_parse(text, len, &j, &err);
        cr_assert_eq(rc, -1, "accepted: %.200s", text);
        cr_assert_null(j);
        cr_assert(strstr(hr_error_msg(&err), expect_in_msg) != NULL, "message \"%s\" lacks \"%s\"",
                  hr_error_msg(&err), expect_in_msg);
        hr_error_clear(&err);
}

#define REFUSED(text, msg) refused(text, sizeof(text) - 1, msg)

static char *emit(const struct json *j, bool pretty)
{
        struct hr_error err = {0};
        char *out = NULL;
        cr_assert_eq(json_emit(j, pretty, &out, NULL, &err), 0, "%s", hr_error_msg(&err));
        return out;
}

Test(json, every_fixture_round_trips_losslessly)
{
        char **names = fixture_names(".json");
        for (char **n = names; *n; n++) {
                cleanup_free char *path = NULL;
                cleanup_free char *text = NULL;
                size_t len;
                struct hr_error err = {0};
                cleanup_json struct json *a = NULL;
                cleanup_json struct json *b = NULL;
                cr_assert(asprintf(&path, "%s/%s", FIXTURES_DIR, *n) > 0);
                text = slurp(path, &len);
                cr_assert_eq(json_parse(text, len, &a, &err), 0, "%s: %s", *n, hr_error_msg(&err));
                for (int pretty = 0; pretty <= 1; pretty++) {
                        cleanup_free char *once = emit(a, pretty);
                        cleanup_free char *twice = NULL;
                        json_free(b);
                        b = parse_or_die(once);
                        cr_assert(json_equal(a, b), "%s: parse(emit(x)) differs from x", *n);
                        twice = emit(b, pretty);
                        cr_assert_str_eq(once, twice, "%s: emit is not idempotent", *n);
                }
        }
        fixture_names_free(names);
}

Test(json, number_lexemes_and_key_order_are_kept_byte_exact)
{
        const char *in = "{\"z\":18446744073709551615,\"a\":-1,\"m\":1e3,\"b\":-0.5E+10,\"c\":0,"
                         "\"u\":{\"y\":[1.0,2,true,false,null,\"s\"],\"x\":{}}}";
        cleanup_json struct json *j = parse_or_die(in);
        cleanup_free char *out = emit(j, false);
        cr_assert_str_eq(out, in);
        cr_assert_str_eq(json_obj_get(j, "z")->text, "18446744073709551615");
}

Test(json, unknown_fields_survive)
{
        const char *in =
            "{\"ociVersion\":\"1.0.2\",\"x-vendor\":{\"deep\":[{\"k\":\"v\"}]},\"process\":{}}";
        cleanup_json struct json *j = parse_or_die(in);
        cleanup_free char *out = emit(j, false);
        cr_assert_str_eq(out, in);
}

Test(json, duplicate_keys_are_refused)
{
        REFUSED("{\"process\":{\"noNewPrivileges\":true,\"noNewPrivileges\":false}}",
                "duplicate key");
        REFUSED("{\"annotations\":{\"a\":\"1\",\"a\":\"2\"}}", "duplicate key");
        REFUSED("{\"x\":1,\"y\":2,\"x\":3}", "\"x\" and \"x\"");
}

Test(json, keys_go_would_fold_onto_oci_fields_are_refused)
{
        /* each of these reaches runc as the field on the right */
        REFUSED("{\"process\":{\"NoNewPrivileges\":false}}", "\"noNewPrivileges\"");
        REFUSED("{\"PROCESS\":{}}", "\"process\"");
        REFUSED("{\"proce\xc5\xbfs\":{}}", "\"process\""); /* U+017F long s */
        REFUSED("{\"proce\\u017fs\":{}}", "\"process\"");  /* same, escaped */
        REFUSED("{\"linux\":{\"\xe2\x84\xaa"
                "ernel\":1}}",
                "\"kernel\""); /* U+212A Kelvin */
        REFUSED("{\"nonewprivileges\":true}", "\"noNewPrivileges\"");
        /* case-variant twins of any key: Go would pick one of them */
        REFUSED("{\"process\":{\"noNewPrivileges\":true,\"NONEWPRIVILEGES\":false}}",
                "noNewPrivileges");
        REFUSED("{\"vendorThing\":1,\"VendorThing\":2}", "case-insensitively");
}

Test(json, map_typed_fields_keep_exact_keys)
{
        /* annotations, sysctl and unified are Go maps: keys match exactly */
        cleanup_json struct json *j =
            parse_or_die("{\"annotations\":{\"Process\":\"a\",\"process\":\"b\"},\"linux\":{"
                         "\"sysctl\":{\"Net.X\":\"1\","
                         "\"net.x\":\"2\"},\"resources\":{\"unified\":{\"memory.max\":\"1\","
                         "\"MEMORY.max\":\"2\"}}}}");
        cr_assert_eq(json_pointer_get(j, "/annotations")->n, 2);
}

Test(json, malformed_input_is_refused_with_a_reason)
{
        REFUSED("{\"a\":1} x", "invalid JSON");
        REFUSED("{}{}", "invalid JSON");
        REFUSED("{\"a\":1 /* c */}", "invalid JSON");
        REFUSED("// c\n{}", "invalid JSON");
        REFUSED("{\"a\":", "invalid JSON");
        REFUSED("", "invalid JSON");
        REFUSED("{\"a\":01}", "invalid JSON");
        REFUSED("{\"a\":\"\xff\"}", "invalid JSON");
        REFUSED("{\"a\":\"x\\u0000y\"}", "NUL character");
        REFUSED("{\"a\\u0000b\":1}", "NUL character");
        REFUSED("{\"a\":\"x\0y\"}", "NUL byte at offset 7");
}

Test(json, nesting_is_capped)
{
        char deep[2 * (JSON_MAX_DEPTH + 1) + 1];
        memset(deep, '[', JSON_MAX_DEPTH + 1);
        memset(deep + JSON_MAX_DEPTH + 1, ']', JSON_MAX_DEPTH + 1);
        deep[sizeof(deep) - 1] = '\0';
        refused(deep, strlen(deep), "nesting too deep");
        /* exactly the cap is fine */
        deep[JSON_MAX_DEPTH] = ']';
        deep[2 * JSON_MAX_DEPTH] = '\0';
        {
                cleanup_json struct json *j = parse_or_die(deep + 0);
                (void)j;
        }
}

Test(json, size_is_capped_before_parsing)
{
        size_t n = JSON_MAX_SIZE + 1;
        char *big = malloc(n);
        memset(big, ' ', n);
        big[0] = '{';
        big[n - 1] = '}';
        refused(big, n, "over the");
        free(big);
}

Test(json, pointers_get_and_ensure)
{
        struct hr_error err = {0};
        cleanup_json struct json *j =
            parse_or_die("{\"a\":{\"b\":[10,{\"c\":true}]},\"s\":\"x\",\"t~/\":1}");
        cr_assert_str_eq(json_pointer_get(j, "/a/b/0")->text, "10");
        cr_assert_eq(json_pointer_get(j, "/a/b/1/c")->type, JSON_TRUE);
        cr_assert_null(json_pointer_get(j, "/a/b/2"));
        cr_assert_null(json_pointer_get(j, "/a/b/-1"));
        cr_assert_not_null(json_pointer_get(j, "/t~0~1"));
        cr_assert_not_null(json_pointer_ensure_object(j, "/n/m", &err));
        cr_assert_eq(json_pointer_get(j, "/n/m")->type, JSON_OBJECT);
        cr_assert_null(json_pointer_ensure_object(j, "/s/q", &err));
        cr_assert(strstr(hr_error_msg(&err), "expected object at \"/s\", found string") != NULL,
                  "%s", hr_error_msg(&err));
        hr_error_clear(&err);
}

Test(json, set_replaces_in_place_and_appends_new_keys)
{
        struct hr_error err = {0};
        cleanup_json struct json *j = parse_or_die("{\"a\":1,\"b\":2}");
        cleanup_free char *out = NULL;
        cr_assert_eq(json_obj_set(j, "a", json_new_string("x"), &err), 0);
        cr_assert_eq(json_obj_set(j, "c", json_new_bool(false), &err), 0);
        cr_assert_eq(json_array_insert(json_pointer_ensure_array(j, "/d", &err), 5,
                                       json_new_number("7"), &err),
                     0);
        cr_assert_eq(json_array_insert(json_pointer_get(j, "/d"), 0, json_new_number("6"), &err),
                     0);
        out = emit(j, false);
        cr_assert_str_eq(out, "{\"a\":\"x\",\"b\":2,\"c\":false,\"d\":[6,7]}");
}

Test(json, field_table_is_sorted_for_bsearch)
{
        cr_assert(json_field_table_sorted());
}
