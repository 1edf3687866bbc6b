// SPDX-License-Identifier: GPL-2.0-or-later
/* The only file that includes yajl. Parsing uses yajl's streaming callbacks
 * (not yajl_tree: it truncates strings at NUL, enables comments, and offers
 * no mutation); output uses yajl_gen. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "cleanup.h"
#include "json.h"

/* ---- Go encoding/json key folding ------------------------------------ */

/* Every field name, exactly as spelled, of the OCI runtime spec structs runc
 * decodes (config.json, process.json, update resources), sorted
 * case-insensitively for bsearch. Go's decoder matches a JSON key to a struct
 * field case-insensitively (Unicode simple folding, so U+017F matches 's' and
 * U+212A matches 'k'); yajl sees the key as written. A key that folds onto
 * one of these names without being exactly that name would be read
 * differently by runc and by us. */
static const char *const oci_fields[] = {
    "access",
    "action",
    "additionalGids",
    "allow",
    "ambient",
    "annotations",
    "apparmorProfile",
    "architectures",
    "args",
    "blkio",
    "blockIO",
    "bounding",
    "burst",
    "capabilities",
    "cgroupsPath",
    "checkBeforeUpdate",
    "class",
    "classID",
    "closID",
    "commandLine",
    "consoleSize",
    "containerID",
    "cpu",
    "cpus",
    "createContainer",
    "createRuntime",
    "cwd",
    "deadline",
    "defaultAction",
    "defaultErrnoRet",
    "destination",
    "devices",
    "disableOOMKiller",
    "domain",
    "domainname",
    "effective",
    "enableCMT",
    "enableMBM",
    "enableMonitoring",
    "env",
    "errnoRet",
    "execCPUAffinity",
    "fileMode",
    "final",
    "flags",
    "gid",
    "gidMappings",
    "hard",
    "hcaHandles",
    "hcaObjects",
    "height",
    "hooks",
    "hostID",
    "hostname",
    "hugepageLimits",
    "hypervisor",
    "idle",
    "image",
    "index",
    "inheritable",
    "initial",
    "intelRdt",
    "ioPriority",
    "kernel",
    "kernelTCP",
    "l3CacheSchema",
    "leafWeight",
    "limit",
    "linux",
    "listenerMetadata",
    "listenerPath",
    "major",
    "maskedPaths",
    "memBwSchema",
    "memory",
    "memoryPolicy",
    "mems",
    "minor",
    "mode",
    "mountLabel",
    "mounts",
    "name",
    "names",
    "namespaces",
    "nanosecs",
    "netDevices",
    "network",
    "nice",
    "nodes",
    "noNewPrivileges",
    "ociVersion",
    "oomScoreAdj",
    "op",
    "options",
    "pageSize",
    "path",
    "period",
    "permitted",
    "personality",
    "pids",
    "policy",
    "poststart",
    "poststop",
    "prestart",
    "priorities",
    "priority",
    "process",
    "quota",
    "rate",
    "rdma",
    "readonly",
    "readonlyPaths",
    "realtimePeriod",
    "realtimeRuntime",
    "reservation",
    "resources",
    "rlimits",
    "root",
    "rootfsPropagation",
    "runtime",
    "scheduler",
    "schemata",
    "seccomp",
    "secs",
    "selinuxLabel",
    "shares",
    "size",
    "soft",
    "solaris",
    "source",
    "startContainer",
    "swap",
    "swappiness",
    "syscalls",
    "sysctl",
    "terminal",
    "throttleReadBpsDevice",
    "throttleReadIOPSDevice",
    "throttleWriteBpsDevice",
    "throttleWriteIOPSDevice",
    "timeOffsets",
    "timeout",
    "type",
    "uid",
    "uidMappings",
    "umask",
    "unified",
    "useHierarchy",
    "user",
    "username",
    "value",
    "valueTwo",
    "vm",
    "weight",
    "weightDevice",
    "width",
    "windows",
    "zos",
};

/* Objects under these keys are Go maps (map[string]...): Go matches their
 * keys exactly, so only exact duplicates matter there. */
static const char *const map_fields[] = {"annotations", "sysctl",      "unified",
                                         "netDevices",  "timeOffsets", "rdma"};

/* Fold key the way Go's EqualFold does for ASCII targets: ASCII letters to
 * lower case, U+017F (LATIN SMALL LETTER LONG S) to 's', U+212A (KELVIN SIGN)
 * to 'k'. Other bytes are kept, so such keys cannot fold to an ASCII name. */
static char *go_fold(const char *key)
{
        size_t n = strlen(key);
        char *out = malloc(n + 1);
        size_t o = 0;
        if (out == NULL)
                return NULL;
        for (size_t i = 0; i < n;) {
                const unsigned char *p = (const unsigned char *)key + i;
                if (p[0] == 0xc5 && i + 1 < n && p[1] == 0xbf) {
                        out[o++] = 's';
                        i += 2;
                } else if (p[0] == 0xe2 && i + 2 < n && p[1] == 0x84 && p[2] == 0xaa) {
                        out[o++] = 'k';
                        i += 3;
                } else {
                        out[o++] = (p[0] >= 'A' && p[0] <= 'Z') ? (char)(p[0] + 32) : (char)p[0];
                        i++;
                }
        }
        out[o] = '\0';
        return out;
}

static int cmp_field(const void *key, const void *entry)
{
        /* strcasecmp is ASCII-only in the C locale, which we never change */
        return strcasecmp(key, *(const char *const *)entry);
}

/* The OCI field a folded key would select in Go, or NULL. */
static const char *oci_field_for(const char *folded)
{
        const char *const *hit =
            bsearch(folded, oci_fields, sizeof(oci_fields) / sizeof(*oci_fields),
                    sizeof(*oci_fields), cmp_field);
        return hit ? *hit : NULL;
}

const char *json_go_field_for(const char *key, bool *oom)
{
        char *folded = go_fold(key);
        const char *f = folded ? oci_field_for(folded) : NULL;
        *oom = folded == NULL;
        free(folded);
        return f;
}

const char *const *json_oci_field_names(size_t *n)
{
        *n = sizeof(oci_fields) / sizeof(*oci_fields);
        return oci_fields;
}

bool json_field_table_sorted(void)
{
        for (size_t i = 1; i < sizeof(oci_fields) / sizeof(*oci_fields); i++)
                if (strcasecmp(oci_fields[i - 1], oci_fields[i]) >= 0)
                        return false;
        return true;
}

/* ---- tree construction ------------------------------------------------ */

struct json *json_new(enum json_type type)
{
        struct json *j = calloc(1, sizeof(*j));
        if (j != NULL)
                j->type = type;
        return j;
}

struct json *json_new_bool(bool value)
{
        return json_new(value ? JSON_TRUE : JSON_FALSE);
}

static struct json *new_text(enum json_type type, const char *s, size_t len)
{
        struct json *j = json_new(type);
        if (j == NULL)
                return NULL;
        j->text = malloc(len + 1);
        if (j->text == NULL) {
                free(j);
                return NULL;
        }
        memcpy(j->text, s, len);
        j->text[len] = '\0';
        j->len = len;
        return j;
}

struct json *json_new_string(const char *s)
{
        return new_text(JSON_STRING, s, strlen(s));
}

struct json *json_new_number(const char *lexeme)
{
        return new_text(JSON_NUMBER, lexeme, strlen(lexeme));
}

void json_free(struct json *j)
{
        if (j == NULL)
                return;
        for (size_t i = 0; i < j->n; i++) {
                if (j->keys != NULL)
                        free(j->keys[i]);
                json_free(j->vals[i]); /* depth is bounded by JSON_MAX_DEPTH */
        }
        free(j->keys);
        free(j->vals);
        free(j->text);
        free(j);
}

void json_freep(struct json **j)
{
        json_free(*j);
}

static int grow(struct json *c)
{
        size_t cap;
        if (c->n < c->cap)
                return 0;
        if (c->cap > SIZE_MAX / 2 / sizeof(void *))
                return -1;
        cap = c->cap ? c->cap * 2 : 4;
        struct json **vals = realloc(c->vals, cap * sizeof(*vals));
        if (vals == NULL)
                return -1;
        c->vals = vals;
        if (c->type == JSON_OBJECT) {
                char **keys = realloc(c->keys, cap * sizeof(*keys));
                if (keys == NULL)
                        return -1;
                c->keys = keys;
        }
        c->cap = cap;
        return 0;
}

/* Append without duplicate check; takes ownership of key and val on success. */
static int obj_append(struct json *obj, char *key, struct json *val)
{
        if (grow(obj) < 0)
                return -1;
        obj->keys[obj->n] = key;
        obj->vals[obj->n] = val;
        obj->n++;
        return 0;
}

static int arr_append(struct json *arr, struct json *val)
{
        if (grow(arr) < 0)
                return -1;
        arr->vals[arr->n++] = val;
        return 0;
}

/* ---- parsing ------------------------------------------------------------ */

struct frame {
        struct json *node;
        const char *name; /* key in the parent object, or NULL */
        size_t index;     /* index in the parent array */
        bool is_map;      /* a Go map: exact keys only */
};

struct pctx {
        bool go_folding; /* refuse keys Go would fold onto an OCI field */
        struct json *root;
        struct frame stack[JSON_MAX_DEPTH];
        size_t depth;
        char *pending_key;
        struct hr_error *err;
};

/* Append a JSON pointer segment, escaping '~' and '/' (RFC 6901). */
static void pointer_append(FILE *f, const char *seg)
{
        fputc('/', f);
        for (; *seg; seg++) {
                if (*seg == '~')
                        fputs("~0", f);
                else if (*seg == '/')
                        fputs("~1", f);
                else
                        fputc(*seg, f);
        }
}

/* JSON pointer of the innermost open container; caller frees. */
static char *current_pointer(const struct pctx *c)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f == NULL)
                return NULL;
        for (size_t i = 1; i < c->depth; i++) {
                char idx[32];
                if (c->stack[i].name != NULL) {
                        pointer_append(f, c->stack[i].name);
                } else {
                        snprintf(idx, sizeof(idx), "%zu", c->stack[i].index);
                        pointer_append(f, idx);
                }
        }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

static int parse_fail(struct pctx *c, const char *what, const char *detail)
{
        cleanup_free char *where = current_pointer(c);
        hr_fail(c->err, "%s %s at \"%s\"", what, detail, where && *where ? where : "/");
        return 0; /* tells yajl to stop */
}

static int attach(struct pctx *c, struct json *v)
{
        struct json *parent;
        if (v == NULL) {
                hr_fail(c->err, "out of memory");
                return 0;
        }
        if (c->depth == 0) {
                c->root = v;
                return 1;
        }
        parent = c->stack[c->depth - 1].node;
        if (parent->type == JSON_ARRAY) {
                if (arr_append(parent, v) < 0)
                        goto oom;
                return 1;
        }
        if (obj_append(parent, c->pending_key, v) < 0)
                goto oom;
        c->pending_key = NULL;
        return 1;
oom:
        json_free(v);
        hr_fail(c->err, "out of memory");
        return 0;
}

static int cb_null(void *ctx)
{
        return attach(ctx, json_new(JSON_NULL));
}

static int cb_boolean(void *ctx, int value)
{
        return attach(ctx, json_new_bool(value != 0));
}

/* RFC 8259 number grammar; yajl's lexer should enforce it already, this
 * keeps us honest about what we pass on byte-exactly. */
static bool valid_number(const char *s, size_t len)
{
        size_t i = 0;
        if (i < len && s[i] == '-')
                i++;
        if (i >= len)
                return false;
        if (s[i] == '0') {
                i++;
        } else if (s[i] >= '1' && s[i] <= '9') {
                while (i < len && s[i] >= '0' && s[i] <= '9')
                        i++;
        } else {
                return false;
        }
        if (i < len && s[i] == '.') {
                size_t start = ++i;
                while (i < len && s[i] >= '0' && s[i] <= '9')
                        i++;
                if (i == start)
                        return false;
        }
        if (i < len && (s[i] == 'e' || s[i] == 'E')) {
                size_t start;
                i++;
                if (i < len && (s[i] == '+' || s[i] == '-'))
                        i++;
                start = i;
                while (i < len && s[i] >= '0' && s[i] <= '9')
                        i++;
                if (i == start)
                        return false;
        }
        return i == len;
}

static int cb_number(void *ctx, const char *s, size_t len)
{
        if (!valid_number(s, len))
                return parse_fail(ctx, "malformed number", "");
        return attach(ctx, new_text(JSON_NUMBER, s, len));
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
        if (memchr(s, '\0', len) != NULL)
                return parse_fail(ctx, "NUL character (\\u0000) in a string", "value");
        return attach(ctx, new_text(JSON_STRING, (const char *)s, len));
}

static int push(struct pctx *c, enum json_type type)
{
        struct json *parent = c->depth ? c->stack[c->depth - 1].node : NULL;
        struct frame *f;
        struct json *node;
        if (c->depth >= JSON_MAX_DEPTH) {
                char detail[64];
                snprintf(detail, sizeof(detail), "(limit %d levels)", JSON_MAX_DEPTH);
                return parse_fail(c, "nesting too deep", detail);
        }
        node = json_new(type);
        if (!attach(c, node))
                return 0;
        f = &c->stack[c->depth++];
        f->node = node;
        f->name = NULL;
        f->index = 0;
        f->is_map = false;
        if (parent != NULL && parent->type == JSON_OBJECT) {
                f->name = parent->keys[parent->n - 1];
                for (size_t i = 0; i < sizeof(map_fields) / sizeof(*map_fields); i++)
                        f->is_map |= strcmp(f->name, map_fields[i]) == 0;
        } else if (parent != NULL) {
                f->index = parent->n - 1;
        }
        return 1;
}

static int cb_start_map(void *ctx)
{
        return push(ctx, JSON_OBJECT);
}

static int cb_start_array(void *ctx)
{
        return push(ctx, JSON_ARRAY);
}

static int cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
        struct pctx *c = ctx;
        if (memchr(key, '\0', len) != NULL)
                return parse_fail(c, "NUL character (\\u0000) in a key", "of the object");
        free(c->pending_key);
        c->pending_key = strndup((const char *)key, len);
        if (c->pending_key == NULL) {
                hr_fail(c->err, "out of memory");
                return 0;
        }
        return 1;
}

struct keyref {
        const char *cmp; /* folded or exact key used for comparison */
        const char *orig;
};

static int cmp_keyref(const void *a, const void *b)
{
        return strcmp(((const struct keyref *)a)->cmp, ((const struct keyref *)b)->cmp);
}

/* A key that Go would match to an OCI field although it is not spelled
 * exactly as that field. */
static int check_folding(struct pctx *c, const char *key, const char *folded)
{
        const char *field = oci_field_for(folded);
        char detail[256];
        if (field == NULL || strcmp(key, field) == 0)
                return 1;
        snprintf(detail, sizeof(detail),
                 "\"%.100s\" (runc's Go decoder would read it as the OCI field \"%s\")", key,
                 field);
        return parse_fail(c, "key spelled differently from its OCI field:", detail);
}

/* Sorted comparison finds duplicates in O(n log n): a 4 MiB object with
 * hundreds of thousands of keys must not cost a quadratic scan. */
static int check_keys(struct pctx *c, const struct json *obj, bool is_map)
{
        struct keyref *refs;
        char **folded;
        int ok = 1;
        if (obj->n < 1)
                return 1;
        refs = calloc(obj->n, sizeof(*refs));
        folded = calloc(obj->n, sizeof(*folded));
        if (refs == NULL || folded == NULL) {
                free(refs);
                free(folded);
                hr_fail(c->err, "out of memory");
                return 0;
        }
        for (size_t i = 0; i < obj->n && ok; i++) {
                refs[i].orig = obj->keys[i];
                refs[i].cmp = obj->keys[i];
                if (is_map)
                        continue;
                folded[i] = go_fold(obj->keys[i]);
                if (folded[i] == NULL) {
                        hr_fail(c->err, "out of memory");
                        ok = 0;
                        break;
                }
                refs[i].cmp = folded[i];
                ok = !c->go_folding || check_folding(c, obj->keys[i], folded[i]);
        }
        if (ok) {
                qsort(refs, obj->n, sizeof(*refs), cmp_keyref);
                for (size_t i = 1; i < obj->n && ok; i++) {
                        char detail[256];
                        if (strcmp(refs[i - 1].cmp, refs[i].cmp) != 0)
                                continue;
                        snprintf(detail, sizeof(detail), "\"%.100s\" and \"%.100s\"",
                                 refs[i - 1].orig, refs[i].orig);
                        ok = parse_fail(c,
                                        is_map
                                            ? "duplicate key"
                                            : "duplicate key (Go matches keys case-insensitively):",
                                        detail);
                }
        }
        for (size_t i = 0; i < obj->n; i++)
                free(folded[i]);
        free(folded);
        free(refs);
        return ok;
}

static int cb_end_map(void *ctx)
{
        struct pctx *c = ctx;
        struct frame *f = &c->stack[c->depth - 1];
        if (!check_keys(c, f->node, f->is_map))
                return 0;
        c->depth--;
        return 1;
}

static int cb_end_array(void *ctx)
{
        struct pctx *c = ctx;
        c->depth--;
        return 1;
}

static const yajl_callbacks callbacks = {
    .yajl_null = cb_null,
    .yajl_boolean = cb_boolean,
    .yajl_number = cb_number,
    .yajl_string = cb_string,
    .yajl_start_map = cb_start_map,
    .yajl_map_key = cb_map_key,
    .yajl_end_map = cb_end_map,
    .yajl_start_array = cb_start_array,
    .yajl_end_array = cb_end_array,
};

static int yajl_failure(yajl_handle h, const char *buf, size_t len, struct hr_error *err)
{
        unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *)buf, len);
        size_t at = yajl_get_bytes_consumed(h);
        hr_fail(err, "invalid JSON at byte %zu: %s", at, msg ? (const char *)msg : "parse error");
        if (msg != NULL)
                yajl_free_error(h, msg);
        return -1;
}

static int parse(const char *buf, size_t len, bool go_folding, struct json **out,
                 struct hr_error *err)
{
        struct pctx c = {.err = err, .go_folding = go_folding};
        yajl_handle h;
        yajl_status st;
        const char *nul;

        *out = NULL;
        if (len > JSON_MAX_SIZE)
                return hr_fail(err, "document is %zu bytes, over the %u byte limit", len,
                               JSON_MAX_SIZE);
        nul = memchr(buf, '\0', len);
        if (nul != NULL)
                return hr_fail(err, "NUL byte at offset %zu", (size_t)(nul - buf));
        h = yajl_alloc(&callbacks, NULL, &c);
        if (h == NULL)
                return hr_fail(err, "out of memory");
        /* yajl's defaults already refuse comments, trailing garbage, several
         * top-level values and invalid UTF-8; set them explicitly anyway. */
        yajl_config(h, yajl_allow_comments, 0);
        yajl_config(h, yajl_dont_validate_strings, 0);
        yajl_config(h, yajl_allow_trailing_garbage, 0);
        yajl_config(h, yajl_allow_multiple_values, 0);
        yajl_config(h, yajl_allow_partial_values, 0);

        st = yajl_parse(h, (const unsigned char *)buf, len);
        if (st == yajl_status_ok)
                st = yajl_complete_parse(h);
        if (st != yajl_status_ok) {
                if (st == yajl_status_client_canceled || err->failed)
                        hr_fail(err, "invalid JSON");
                else
                        yajl_failure(h, buf, len, err);
                yajl_free(h);
                free(c.pending_key);
                json_free(c.root);
                return -1;
        }
        yajl_free(h);
        free(c.pending_key);
        if (c.root == NULL)
                return hr_fail(err, "empty document");
        *out = c.root;
        return 0;
}

int json_parse(const char *buf, size_t len, struct json **out, struct hr_error *err)
{
        return parse(buf, len, true, out, err);
}

int json_parse_own(const char *buf, size_t len, struct json **out, struct hr_error *err)
{
        return parse(buf, len, false, out, err);
}

/* ---- access --------------------------------------------------------------- */

bool json_is_bool(const struct json *j)
{
        return j != NULL && (j->type == JSON_TRUE || j->type == JSON_FALSE);
}

int json_int64(const struct json *j, long long *out)
{
        char *end;
        long long v;
        if (j == NULL || j->type != JSON_NUMBER || strpbrk(j->text, ".eE") != NULL)
                return -1;
        errno = 0;
        v = strtoll(j->text, &end, 10);
        if (errno != 0 || *end != '\0')
                return -1;
        *out = v;
        return 0;
}

int json_uint64(const struct json *j, unsigned long long *out)
{
        char *end;
        unsigned long long v;
        if (j == NULL || j->type != JSON_NUMBER || strpbrk(j->text, ".eE-") != NULL)
                return -1;
        errno = 0;
        v = strtoull(j->text, &end, 10);
        if (errno != 0 || *end != '\0')
                return -1;
        *out = v;
        return 0;
}

struct json *json_new_int64(long long v)
{
        char buf[32];
        snprintf(buf, sizeof(buf), "%lld", v);
        return json_new_number(buf);
}

bool json_array_has_string(const struct json *arr, const char *s)
{
        for (size_t i = 0; arr != NULL && arr->type == JSON_ARRAY && i < arr->n; i++)
                if (arr->vals[i]->type == JSON_STRING && strcmp(arr->vals[i]->text, s) == 0)
                        return true;
        return false;
}

void json_remove_at(struct json *j, size_t i)
{
        if (i >= j->n)
                return;
        json_free(j->vals[i]);
        memmove(j->vals + i, j->vals + i + 1, (j->n - i - 1) * sizeof(*j->vals));
        if (j->type == JSON_OBJECT) {
                free(j->keys[i]);
                memmove(j->keys + i, j->keys + i + 1, (j->n - i - 1) * sizeof(*j->keys));
        }
        j->n--;
}

const char *json_type_name(enum json_type type)
{
        static const char *const names[] = {
            [JSON_NULL] = "null",     [JSON_FALSE] = "boolean", [JSON_TRUE] = "boolean",
            [JSON_NUMBER] = "number", [JSON_STRING] = "string", [JSON_ARRAY] = "array",
            [JSON_OBJECT] = "object",
        };
        return names[type];
}

struct json *json_obj_get(const struct json *obj, const char *key)
{
        if (obj == NULL || obj->type != JSON_OBJECT)
                return NULL;
        for (size_t i = 0; i < obj->n; i++)
                if (strcmp(obj->keys[i], key) == 0)
                        return obj->vals[i];
        return NULL;
}

int json_obj_set(struct json *obj, const char *key, struct json *val, struct hr_error *err)
{
        char *k;
        if (val == NULL)
                return hr_fail(err, "out of memory");
        if (obj->type != JSON_OBJECT) {
                json_free(val);
                return hr_fail(err, "cannot set \"%s\" on a %s", key, json_type_name(obj->type));
        }
        for (size_t i = 0; i < obj->n; i++) {
                if (strcmp(obj->keys[i], key) == 0) {
                        json_free(obj->vals[i]);
                        obj->vals[i] = val;
                        return 0;
                }
        }
        k = strdup(key);
        if (k == NULL || obj_append(obj, k, val) < 0) {
                free(k);
                json_free(val);
                return hr_fail(err, "out of memory");
        }
        return 0;
}

struct json *json_object_of(const char *key, struct json *val, ...)
{
        struct hr_error err = {0};
        struct json *o = json_new(JSON_OBJECT);
        va_list ap;
        bool ok = o != NULL;
        va_start(ap, val);
        while (key != NULL) {
                if (!ok)
                        json_free(val);
                else if (val == NULL || json_obj_set(o, key, val, &err) < 0)
                        ok = false; /* json_obj_set frees val when it fails */
                key = va_arg(ap, const char *);
                if (key != NULL)
                        val = va_arg(ap, struct json *);
        }
        va_end(ap);
        hr_error_clear(&err);
        if (!ok) {
                json_free(o);
                return NULL;
        }
        return o;
}

int json_array_append(struct json *arr, struct json *val, struct hr_error *err)
{
        if (val == NULL)
                return hr_fail(err, "out of memory");
        if (arr->type != JSON_ARRAY || arr_append(arr, val) < 0) {
                json_free(val);
                return hr_fail(err, "cannot append to a %s", json_type_name(arr->type));
        }
        return 0;
}

int json_array_insert(struct json *arr, size_t at, struct json *val, struct hr_error *err)
{
        if (json_array_append(arr, val, err) < 0)
                return -1;
        if (at < arr->n - 1) {
                memmove(arr->vals + at + 1, arr->vals + at, (arr->n - 1 - at) * sizeof(*arr->vals));
                arr->vals[at] = val;
        }
        return 0;
}

/* Next unescaped pointer segment of *p into a fresh string; advances *p. */
static char *next_segment(const char **p)
{
        const char *s = *p + 1; /* skip '/' */
        size_t n = strcspn(s, "/");
        char *seg = malloc(n + 1);
        size_t o = 0;
        if (seg == NULL)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '~' && i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '1')) {
                        seg[o++] = s[i + 1] == '0' ? '~' : '/';
                        i++;
                } else {
                        seg[o++] = s[i];
                }
        }
        seg[o] = '\0';
        *p = s + n;
        return seg;
}

static struct json *child(const struct json *j, const char *seg)
{
        char *end;
        unsigned long idx;
        if (j->type == JSON_OBJECT)
                return json_obj_get(j, seg);
        if (j->type != JSON_ARRAY || *seg < '0' || *seg > '9')
                return NULL;
        errno = 0;
        idx = strtoul(seg, &end, 10);
        if (errno != 0 || *end != '\0' || idx >= j->n)
                return NULL;
        return j->vals[idx];
}

struct json *json_pointer_get(const struct json *root, const char *pointer)
{
        const struct json *cur = root;
        const char *p = pointer;
        while (cur != NULL && *p == '/') {
                cleanup_free char *seg = next_segment(&p);
                if (seg == NULL)
                        return NULL;
                cur = child(cur, seg);
        }
        return (struct json *)cur;
}

/* Walk pointer from root, creating missing object members (objects on the
 * way, leaf at the end); existing array elements are walked by index. */
static struct json *ensure(struct json *root, const char *pointer, enum json_type leaf,
                           struct hr_error *err)
{
        struct json *cur = root;
        const char *p = pointer;
        while (*p == '/') {
                cleanup_free char *seg = next_segment(&p);
                enum json_type want = *p == '/' ? JSON_OBJECT : leaf;
                struct json *next;
                if (seg == NULL)
                        return hr_fail(err, "out of memory"), NULL;
                next = child(cur, seg);
                if (next == NULL && cur->type == JSON_OBJECT) {
                        next = json_new(want);
                        if (json_obj_set(cur, seg, next, err) < 0)
                                return NULL;
                } else if (next == NULL) {
                        hr_fail(err, "expected object at \"%.*s\", found %s",
                                (int)(p - pointer - strlen(seg) - 1), pointer,
                                json_type_name(cur->type));
                        return NULL;
                } else if (*p != '/' && next->type != want) {
                        hr_fail(err, "expected %s at \"%.*s\", found %s", json_type_name(want),
                                (int)(p - pointer), pointer, json_type_name(next->type));
                        return NULL;
                } else if (*p == '/' && next->type != JSON_OBJECT && next->type != JSON_ARRAY) {
                        hr_fail(err, "expected object at \"%.*s\", found %s", (int)(p - pointer),
                                pointer, json_type_name(next->type));
                        return NULL;
                }
                cur = next;
        }
        if (cur->type != leaf)
                return hr_fail(err, "expected %s at \"%s\", found %s", json_type_name(leaf),
                               *pointer ? pointer : "/", json_type_name(cur->type)),
                       NULL;
        return cur;
}

struct json *json_pointer_ensure_object(struct json *root, const char *pointer,
                                        struct hr_error *err)
{
        return ensure(root, pointer, JSON_OBJECT, err);
}

struct json *json_pointer_ensure_array(struct json *root, const char *pointer, struct hr_error *err)
{
        return ensure(root, pointer, JSON_ARRAY, err);
}

struct json *json_dup(const struct json *j)
{
        struct json *d;
        if (j == NULL)
                return NULL;
        d = j->text ? new_text(j->type, j->text, j->len) : json_new(j->type);
        if (d == NULL)
                return NULL;
        for (size_t i = 0; i < j->n; i++) {
                struct json *v = json_dup(j->vals[i]);
                char *k = NULL;
                int rc;
                if (v == NULL)
                        goto fail;
                if (j->type == JSON_OBJECT) {
                        k = strdup(j->keys[i]);
                        rc = k ? obj_append(d, k, v) : -1;
                } else {
                        rc = arr_append(d, v);
                }
                if (rc < 0) {
                        free(k);
                        json_free(v);
                        goto fail;
                }
        }
        return d;
fail:
        json_free(d);
        return NULL;
}

bool json_equal(const struct json *a, const struct json *b)
{
        if (a == NULL || b == NULL)
                return a == b;
        if (a->type != b->type || a->n != b->n || a->len != b->len)
                return false;
        if (a->text != NULL && memcmp(a->text, b->text, a->len) != 0)
                return false;
        for (size_t i = 0; i < a->n; i++) {
                if (a->type == JSON_OBJECT && strcmp(a->keys[i], b->keys[i]) != 0)
                        return false;
                if (!json_equal(a->vals[i], b->vals[i]))
                        return false;
        }
        return true;
}

/* ---- output ---------------------------------------------------------------- */

static yajl_gen_status gen(yajl_gen g, const struct json *j)
{
        yajl_gen_status st;
        switch (j->type) {
        case JSON_NULL:
                return yajl_gen_null(g);
        case JSON_FALSE:
        case JSON_TRUE:
                return yajl_gen_bool(g, j->type == JSON_TRUE);
        case JSON_NUMBER:
                return yajl_gen_number(g, j->text, j->len);
        case JSON_STRING:
                return yajl_gen_string(g, (const unsigned char *)j->text, j->len);
        case JSON_ARRAY:
                st = yajl_gen_array_open(g);
                for (size_t i = 0; i < j->n && st == yajl_gen_status_ok; i++)
                        st = gen(g, j->vals[i]);
                return st == yajl_gen_status_ok ? yajl_gen_array_close(g) : st;
        case JSON_OBJECT:
                st = yajl_gen_map_open(g);
                for (size_t i = 0; i < j->n && st == yajl_gen_status_ok; i++) {
                        st = yajl_gen_string(g, (const unsigned char *)j->keys[i],
                                             strlen(j->keys[i]));
                        if (st == yajl_gen_status_ok)
                                st = gen(g, j->vals[i]);
                }
                return st == yajl_gen_status_ok ? yajl_gen_map_close(g) : st;
        }
        return yajl_gen_invalid_string;
}

int json_emit(const struct json *j, bool pretty, char **out, size_t *out_len, struct hr_error *err)
{
        const unsigned char *buf;
        size_t len;
        yajl_gen g = yajl_gen_alloc(NULL);
        yajl_gen_status st;
        if (g == NULL)
                return hr_fail(err, "out of memory");
        yajl_gen_config(g, yajl_gen_beautify, pretty ? 1 : 0);
        yajl_gen_config(g, yajl_gen_indent_string, "  ");
        yajl_gen_config(g, yajl_gen_validate_utf8, 1);
        st = gen(g, j);
        if (st != yajl_gen_status_ok) {
                yajl_gen_free(g);
                return hr_fail(err, "cannot serialise JSON (yajl_gen status %d)", (int)st);
        }
        yajl_gen_get_buf(g, &buf, &len);
        /* yajl's beautifier already ends the top-level value with a newline
         * in pretty mode; compact output gets none. */
        *out = malloc(len + 1);
        if (*out == NULL) {
                yajl_gen_free(g);
                return hr_fail(err, "out of memory");
        }
        memcpy(*out, buf, len);
        (*out)[len] = '\0';
        if (out_len != NULL)
                *out_len = len;
        yajl_gen_free(g);
        return 0;
}

char *json_to_text(const struct json *j)
{
        struct hr_error err = {0};
        char *s = NULL;
        if (j == NULL)
                return strdup("(absent)");
        if (json_emit(j, false, &s, NULL, &err) < 0) {
                hr_error_clear(&err);
                return NULL;
        }
        return s;
}

struct json *json_array_of_strings(const char *const *v)
{
        struct hr_error err = {0};
        struct json *arr = json_new(JSON_ARRAY);
        for (size_t i = 0; arr != NULL && v[i] != NULL; i++) {
                if (json_array_append(arr, json_new_string(v[i]), &err) < 0) {
                        hr_error_clear(&err);
                        json_free(arr);
                        return NULL;
                }
        }
        return arr;
}
