/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small lossless JSON document model. Object key order, unknown fields and
 * number lexemes are kept byte-exact. Parsing is strict (see json_parse). This
 * header is the project's whole view of JSON: only json.c includes yajl. */
#ifndef HR_JSON_H
#define HR_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Largest document we read (checked before allocating). Docker's biggest
 * config.json, with its default seccomp profile, is about 30 KiB. */
#define JSON_MAX_SIZE (4u * 1024 * 1024)
/* Deepest nesting accepted. An OCI spec nests 8 levels (seccomp args). */
#define JSON_MAX_DEPTH 64

enum json_type {
        JSON_NULL,
        JSON_FALSE,
        JSON_TRUE,
        JSON_NUMBER,
        JSON_STRING,
        JSON_ARRAY,
        JSON_OBJECT,
};

struct json {
        enum json_type type;
        char *text;         /* string value or number lexeme, NUL-terminated */
        size_t len;         /* bytes in text */
        size_t n, cap;      /* members (object) or items (array) */
        char **keys;        /* object keys, NUL-terminated (no NUL inside) */
        struct json **vals; /* object values or array items */
};

/* Parse buf[0..len). Refuses: input over JSON_MAX_SIZE, NUL bytes anywhere,
 * comments, trailing data, invalid UTF-8, nesting over JSON_MAX_DEPTH,
 * duplicate keys, and (outside map-typed OCI fields) keys that Go's
 * encoding/json would match case-insensitively to an OCI field name without
 * being that exact name. */
int json_parse(const char *buf, size_t len, struct json **out, struct hr_error *err);
/* json_parse without the Go case-folding check: for our own formats
 * (profiles, admin config), which only we read. */
int json_parse_own(const char *buf, size_t len, struct json **out, struct hr_error *err);

void json_free(struct json *j);
#define cleanup_json __attribute__((cleanup(json_freep)))
void json_freep(struct json **j);

struct json *json_new(enum json_type type);
struct json *json_new_bool(bool value);
struct json *json_new_string(const char *s);
/* lexeme must be a valid JSON number */
struct json *json_new_number(const char *lexeme);
struct json *json_dup(const struct json *j);

bool json_is_bool(const struct json *j);
/* An integer number (no fraction or exponent) that fits in long long. */
int json_int64(const struct json *j, long long *out);
/* An integer number without sign, fraction or exponent that fits in 64 bits. */
int json_uint64(const struct json *j, unsigned long long *out);
struct json *json_new_int64(long long v);
/* Is s an element of the array arr (of strings)? */
bool json_array_has_string(const struct json *arr, const char *s);
/* Remove and free item i of an array or member i of an object. */
void json_remove_at(struct json *j, size_t i);
const char *json_type_name(enum json_type type);

/* A new object from key, value pairs ending with NULL; takes ownership of
 * every value, also on failure (NULL, all values freed): a NULL value (a
 * failed allocation) fails the whole object. */
struct json *json_object_of(const char *key, struct json *val, ...) __attribute__((sentinel));

/* Object access. */
/* An array of copies of the NULL-terminated strings v; NULL when out of
 * memory. */
struct json *json_array_of_strings(const char *const *v);
struct json *json_obj_get(const struct json *obj, const char *key);
/* Replace or append key; takes ownership of val (freed on failure). */
int json_obj_set(struct json *obj, const char *key, struct json *val, struct hr_error *err);
int json_array_append(struct json *arr, struct json *val, struct hr_error *err);
/* Insert at index at (append when at >= length); takes ownership of val. */
int json_array_insert(struct json *arr, size_t at, struct json *val, struct hr_error *err);

/* JSON pointer (RFC 6901, without ~ escapes in our own paths) lookup. */
struct json *json_pointer_get(const struct json *root, const char *pointer);
/* Return the object at pointer, creating missing objects on the way.
 * Fails (naming the pointer and the type found) when a step is not an object. */
struct json *json_pointer_ensure_object(struct json *root, const char *pointer,
                                        struct hr_error *err);
/* Return the array at pointer, creating it (and parent objects) if missing. */
struct json *json_pointer_ensure_array(struct json *root, const char *pointer,
                                       struct hr_error *err);

/* Serialise. pretty: two-space indent and a trailing newline. *out is
 * NUL-terminated and owned by the caller. */
int json_emit(const struct json *j, bool pretty, char **out, size_t *out_len, struct hr_error *err);
/* Compact one-line text of a value for reports; NULL on allocation failure. */
char *json_to_text(const struct json *j);

/* Deep equality: same types, same keys in the same order, same string bytes
 * and the same number lexemes. */
bool json_equal(const struct json *a, const struct json *b);

/* For tests: the OCI field names the Go key folding check knows, and whether
 * they are sorted as bsearch needs. */
const char *const *json_oci_field_names(size_t *n);
/* For tests: the OCI field Go's decoder would match key to (its folding
 * check), or NULL; *oom set when memory ran out. */
const char *json_go_field_for(const char *key, bool *oom);
bool json_field_table_sorted(void);

#endif
