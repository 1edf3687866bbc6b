// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <cap-ng.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "params.h"

static const char *const rlimit_names[] = {
    "RLIMIT_AS",
    "RLIMIT_CORE",
    "RLIMIT_CPU",
    "RLIMIT_DATA",
    "RLIMIT_FSIZE",
    "RLIMIT_LOCKS",
    "RLIMIT_MEMLOCK",
    "RLIMIT_MSGQUEUE",
    "RLIMIT_NICE",
    "RLIMIT_NOFILE",
    "RLIMIT_NPROC",
    "RLIMIT_RSS",
    "RLIMIT_RTPRIO",
    "RLIMIT_RTTIME",
    "RLIMIT_SIGPENDING",
    "RLIMIT_STACK",
    NULL,
};

bool strlist_has(const struct strlist *l, const char *s)
{
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->v[i], s) == 0)
                        return true;
        return false;
}

/* OCI spells capabilities CAP_CHOWN; libcap-ng's table holds "chown"
 * (capng_name_to_capability("CAP_CHOWN") is -1), so translate first. */
bool cap_name_known(const char *oci_name)
{
        char lower[64];
        size_t n;
        if (strncmp(oci_name, "CAP_", 4) != 0)
                return false;
        n = strlen(oci_name + 4);
        if (n == 0 || n >= sizeof(lower))
                return false;
        for (size_t i = 0; i <= n; i++)
                lower[i] = (char)tolower((unsigned char)oci_name[4 + i]);
        return capng_name_to_capability(lower) >= 0;
}

int strlist_add(struct strlist *l, const char *s)
{
        char **v = reallocarray(l->v, l->n + 2, sizeof(*v));
        if (v == NULL)
                return -1;
        l->v = v;
        if ((l->v[l->n] = strdup(s)) == NULL)
                return -1;
        l->n++;
        l->v[l->n] = NULL;
        return 0;
}

void strlist_free(struct strlist *l)
{
        for (size_t i = 0; i < l->n; i++)
                free(l->v[i]);
        free(l->v);
        l->v = NULL;
        l->n = 0;
}

static void rlimits_free(struct rlimit_caps *r)
{
        for (size_t i = 0; i < r->n; i++)
                free(r->v[i].type);
        free(r->v);
        r->v = NULL;
        r->n = 0;
}

/* "64m" -> 67108864; plain digits are bytes. */
static int parse_size(const char *s, long long *out)
{
        static const char units[] = "kmgt";
        char *end;
        const char *u;
        long long v;
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno != 0 || end == s || v < 0)
                return -1;
        if (*end == '\0') {
                *out = v;
                return 0;
        }
        u = strchr(units, tolower((unsigned char)*end));
        if (u == NULL || end[1] != '\0')
                return -1;
        for (long i = 0; i <= u - units; i++) {
                if (v > __LONG_LONG_MAX__ / 1024)
                        return -1;
                v *= 1024;
        }
        *out = v;
        return 0;
}

static int parse_int(const struct param_field *f, const struct json *v, long long *out,
                     const char *src, const char *ptr, struct hr_error *err)
{
        cleanup_free char *text = json_to_text(v);
        long long n;
        if (f->type == PT_BYTES && v->type == JSON_STRING) {
                if (parse_size(v->text, &n) < 0)
                        return hr_fail_at(
                            err, src, ptr,
                            "\"%s\" is not a size (bytes, or a number with k, m, g or t)", v->text);
        } else if (json_int64(v, &n) < 0) {
                return hr_fail_at(err, src, ptr, "%s is not an integer", text ? text : "value");
        }
        if (n < f->min || n > f->max)
                return hr_fail_at(err, src, ptr, "%lld is out of range [%lld, %lld]", n, f->min,
                                  f->max);
        *out = n;
        return 0;
}

static int parse_string(const struct param_field *f, const struct json *v, char **out,
                        const char *src, const char *ptr, struct hr_error *err)
{
        bool ok = false;
        if (v->type != JSON_STRING)
                return hr_fail_at(err, src, ptr, "expected a string, found %s",
                                  json_type_name(v->type));
        if (f->type == PT_SOURCE)
                ok = strcmp(v->text, "default") == 0 || v->text[0] == '/';
        for (const char *const *c = f->choices; c != NULL && *c != NULL; c++)
                ok = ok || strcmp(*c, v->text) == 0;
        if (!ok)
                return hr_fail_at(err, src, ptr, "\"%s\" is not %s", v->text,
                                  f->type == PT_SOURCE ? "\"default\" or an absolute path"
                                                       : "an allowed value");
        free(*out);
        *out = strdup(v->text);
        return *out ? 0 : hr_fail(err, "out of memory");
}

static int check_list_item(const struct param_field *f, const struct json *item, const char *src,
                           const char *ptr, size_t i, struct hr_error *err)
{
        char where[300];
        snprintf(where, sizeof(where), "%s/%zu", ptr, i);
        if (item->type != JSON_STRING || item->len == 0)
                return hr_fail_at(err, src, where, "expected a non-empty string");
        if (f->type == PT_PATHS && item->text[0] != '/')
                return hr_fail_at(err, src, where, "\"%s\" is not an absolute path", item->text);
        if (f->type == PT_CAPS && !cap_name_known(item->text))
                return hr_fail_at(err, src, where, "\"%s\" is not a capability known to libcap-ng",
                                  item->text);
        return 0;
}

int param_parse_list(const struct param_field *f, const struct json *v, struct strlist *out,
                     const char *src, const char *ptr, struct hr_error *err)
{
        struct strlist l = {0};
        if (v->type != JSON_ARRAY)
                return hr_fail_at(err, src, ptr, "expected an array, found %s",
                                  json_type_name(v->type));
        l.v = calloc(v->n + 1, sizeof(*l.v));
        if (l.v == NULL)
                return hr_fail(err, "out of memory");
        for (size_t i = 0; i < v->n; i++) {
                if (check_list_item(f, v->vals[i], src, ptr, i, err) < 0 ||
                    (l.v[l.n++] = strdup(v->vals[i]->text)) == NULL) {
                        strlist_free(&l);
                        return err->failed ? -1 : hr_fail(err, "out of memory");
                }
        }
        strlist_free(out);
        *out = l;
        return 0;
}

static bool rlimit_name_known(const char *s)
{
        for (const char *const *n = rlimit_names; *n; n++)
                if (strcmp(*n, s) == 0)
                        return true;
        return false;
}

static int parse_rlimits(const struct param_field *f, const struct json *v, struct rlimit_caps *out,
                         const char *src, const char *ptr, struct hr_error *err)
{
        struct rlimit_caps r = {0};
        if (v->type != JSON_OBJECT)
                return hr_fail_at(err, src, ptr, "expected an object, found %s",
                                  json_type_name(v->type));
        r.v = calloc(v->n + 1, sizeof(*r.v));
        if (r.v == NULL)
                return hr_fail(err, "out of memory");
        for (size_t i = 0; i < v->n; i++) {
                char where[300];
                snprintf(where, sizeof(where), "%s/%s", ptr, v->keys[i]);
                if (!rlimit_name_known(v->keys[i])) {
                        rlimits_free(&r);
                        return hr_fail_at(err, src, where, "unknown resource limit \"%s\"",
                                          v->keys[i]);
                }
                if (parse_int(f, v->vals[i], &r.v[r.n].max, src, where, err) < 0 ||
                    (r.v[r.n].type = strdup(v->keys[i])) == NULL) {
                        rlimits_free(&r);
                        return err->failed ? -1 : hr_fail(err, "out of memory");
                }
                r.n++;
        }
        rlimits_free(out);
        *out = r;
        return 0;
}

int param_parse(struct hr_params *params, const struct param_field *f, const struct json *v,
                const char *src, const char *ptr, struct hr_error *err)
{
        void *at = (char *)params + f->offset;
        switch (f->type) {
        case PT_INT:
        case PT_BYTES:
                return parse_int(f, v, at, src, ptr, err);
        case PT_BOOL:
                if (!json_is_bool(v))
                        return hr_fail_at(err, src, ptr, "expected true or false, found %s",
                                          json_type_name(v->type));
                *(bool *)at = v->type == JSON_TRUE;
                return 0;
        case PT_CHOICE:
        case PT_SOURCE:
                return parse_string(f, v, at, src, ptr, err);
        case PT_PATHS:
        case PT_STRINGS:
        case PT_CAPS:
                return param_parse_list(f, v, at, src, ptr, err);
        case PT_RLIMITS:
                return parse_rlimits(f, v, at, src, ptr, err);
        }
        return hr_fail(err, "internal error: parameter type %d", (int)f->type);
}

const struct param_field *param_find(const struct param_field *fields, const char *key)
{
        for (const struct param_field *f = fields; f != NULL && f->key != NULL; f++)
                if (strcmp(f->key, key) == 0)
                        return f;
        return NULL;
}

const char *param_keys(const struct param_field *fields, char *buf, size_t len)
{
        size_t o = 0;
        buf[0] = '\0';
        o += (size_t)snprintf(buf, len, "action");
        for (const struct param_field *f = fields; f != NULL && f->key != NULL && o < len; f++)
                o += (size_t)snprintf(buf + o, len - o, ", %s", f->key);
        return buf;
}

void params_free(struct hr_params *p)
{
        struct strlist *l[] = {&p->tmpfs_paths,
                               &p->tmpfs_empty,
                               &p->cap_allow,
                               &p->sensitive_exact,
                               &p->sensitive_tree,
                               &p->masked_paths,
                               &p->readonly_paths,
                               &p->sysctl_allow,
                               &p->sysctl_allow_prefixes,
                               &p->annotation_strip_prefixes,
                               &p->systemd_keep_properties,
                               &p->protected_groups,
                               &p->protected_sockets,
                               &p->cgroup_patterns,
                               &p->apparmor_default,
                               &p->mount_allowed,
                               &p->mount_allowed_ro,
                               &p->rootfs_allowed};
        for (size_t i = 0; i < sizeof(l) / sizeof(*l); i++)
                strlist_free(l[i]);
        rlimits_free(&p->rlimits);
        free(p->userns_strategy);
        free(p->unknown_fields);
        free(p->userns_id_range);
        free(p->seccomp_profile);
        free(p->seccomp_mode);
        json_free(p->seccomp_filter);
        p->seccomp_profile = p->seccomp_mode = NULL;
        p->seccomp_filter = NULL;
}
