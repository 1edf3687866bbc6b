// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsenter.h"

static const struct {
        int nstype;
        const char *name;
} types[] = {
    {CLONE_NEWNET, "network"},
    {CLONE_NEWIPC, "ipc"},
    {CLONE_NEWUTS, "uts"},
};

const char *ns_type_name(int nstype)
{
        for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++)
                if (types[i].nstype == nstype)
                        return types[i].name;
        return NULL;
}

int ns_type_of(const char *name)
{
        for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++)
                if (strcmp(types[i].name, name) == 0)
                        return types[i].nstype;
        return 0;
}

int ns_enter_add(struct ns_enter *e, int nstype, const char *path, dev_t dev, ino_t ino,
                 struct hr_error *err)
{
        struct stat st;
        int fd;
        if (e->n == NS_ENTER_MAX)
                return hr_fail(err, "internal error: more than %d namespaces to enter",
                               NS_ENTER_MAX);
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
                return hr_fail_errno(err, errno, "open the %s namespace %s", ns_type_name(nstype),
                                     path);
        if (fstat(fd, &st) < 0) {
                int saved = errno;
                close(fd);
                return hr_fail_errno(err, saved, "stat %s", path);
        }
        if (st.st_dev != dev || st.st_ino != ino) {
                close(fd);
                return hr_fail(err, "%s is no longer the %s namespace judged (nsfs inode %ju)",
                               path, ns_type_name(nstype), (uintmax_t)ino);
        }
        e->nstype[e->n] = nstype;
        e->fd[e->n++] = fd;
        return 0;
}

int ns_enter_all(const struct ns_enter *e, struct hr_error *err)
{
        for (size_t i = 0; i < e->n; i++)
                if (setns(e->fd[i], e->nstype[i]) < 0)
                        return hr_fail_errno(err, errno, "enter the container's %s namespace",
                                             ns_type_name(e->nstype[i]));
        return 0;
}

void ns_enter_close(struct ns_enter *e)
{
        for (size_t i = 0; i < e->n; i++)
                close(e->fd[i]);
        e->n = 0;
}

struct json *ns_joins_to_json(const struct ns_join *v, size_t n)
{
        struct json *a = json_new(JSON_ARRAY);
        for (size_t i = 0; a != NULL && i < n; i++) {
                struct json *o = json_object_of("type", json_new_string(ns_type_name(v[i].nstype)),
                                                "dev", json_new_int64((long long)v[i].dev), "ino",
                                                json_new_int64((long long)v[i].ino), NULL);
                struct hr_error ignored = {0};
                if (json_array_append(a, o, &ignored) < 0) { /* o freed */
                        hr_error_clear(&ignored);
                        json_free(a);
                        return NULL;
                }
        }
        return a;
}

int ns_joins_from_json(const struct json *a, struct ns_join **v, size_t *n, struct hr_error *err)
{
        *v = NULL;
        *n = 0;
        if (a == NULL)
                return 0;
        if (a->type != JSON_ARRAY || a->n > NS_ENTER_MAX)
                return hr_fail(err, "enter: expected an array of at most %d namespaces",
                               NS_ENTER_MAX);
        if (a->n == 0)
                return 0;
        if ((*v = calloc(a->n, sizeof(**v))) == NULL)
                return hr_fail(err, "out of memory");
        for (size_t i = 0; i < a->n; i++) {
                const struct json *t = json_obj_get(a->vals[i], "type");
                unsigned long long dev, ino;
                if (t == NULL || t->type != JSON_STRING || ns_type_of(t->text) == 0 ||
                    json_uint64(json_obj_get(a->vals[i], "dev"), &dev) < 0 ||
                    json_uint64(json_obj_get(a->vals[i], "ino"), &ino) < 0) {
                        ns_joins_free(*v, a->n);
                        *v = NULL;
                        return hr_fail(err, "enter/%zu: expected {type, dev, ino}", i);
                }
                (*v)[i] = (struct ns_join){ns_type_of(t->text), NULL, (dev_t)dev, (ino_t)ino};
        }
        *n = a->n;
        return 0;
}

void ns_joins_free(struct ns_join *v, size_t n)
{
        for (size_t i = 0; v != NULL && i < n; i++)
                free(v[i].path);
        free(v);
}
