// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "cleanup.h"
#include "json.h"
#include "staging.h"
#include "state.h"

/* Relative profile paths name a file relative to where create ran; exec
 * runs elsewhere. */
static char *absolute(const char *path)
{
        return path[0] == '/' || strchr(path, '/') == NULL ? strdup(path) : realpath(path, NULL);
}

static struct json *state_to_json(const struct state_facts *st, const char *abs_profile,
                                  const char *abs_bundle, struct hr_error *err)
{
        cleanup_json struct json *doc = json_object_of("profile", json_new_string(abs_profile),
                                                       "bundle", json_new_string(abs_bundle), NULL);
        if (doc == NULL) {
                hr_fail(err, "out of memory");
                return NULL;
        }
        if (st->nenter > 0 &&
            json_obj_set(doc, "enter", ns_joins_to_json(st->enter, st->nenter), err) < 0)
                return NULL;
        if (st->apparmor != NULL &&
            json_obj_set(doc, "apparmor", json_new_string(st->apparmor), err) < 0)
                return NULL;
        return steal_pointer(&doc);
}

int state_record(const char *dir, const struct state_facts *st, struct hr_error *err)
{
        cleanup_free char *abs_bundle = realpath(st->bundle, NULL);
        cleanup_free char *abs_profile = absolute(st->profile);
        cleanup_free char *text = NULL;
        cleanup_json struct json *doc = NULL;
        cleanup_close int dirfd = -1;
        struct stat like = {.st_mode = S_IFREG | 0600, .st_uid = geteuid(), .st_gid = getegid()};
        size_t len;

        if (abs_bundle == NULL)
                return hr_fail_errno(err, errno, "state in %s: resolve bundle %s", dir, st->bundle);
        if (abs_profile == NULL)
                return hr_fail_errno(err, errno, "state in %s: resolve profile %s", dir,
                                     st->profile);
        if ((doc = state_to_json(st, abs_profile, abs_bundle, err)) == NULL)
                return hr_error_prefix(err, "state in %s", dir);
        if (json_emit(doc, false, &text, &len, err) < 0 || staging_dir_make(dir, err) < 0)
                return hr_error_prefix(err, "state in %s", dir);
        dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dirfd < 0)
                return hr_fail_errno(err, errno, "open %s", dir);
        if (file_replace_at(dirfd, STATE_FILE, text, len, &like, err) < 0)
                return hr_error_prefix(err, "%s", dir);
        return 0;
}

/* ptr: "/key" */
static int take_string(const struct json *doc, const char *ptr, bool absolute, char **out,
                       const char *path, struct hr_error *err)
{
        const struct json *v = json_obj_get(doc, ptr + 1);
        if (v == NULL || v->type != JSON_STRING || v->text[0] == '\0' ||
            (absolute && v->text[0] != '/'))
                return hr_fail_at(err, path, ptr, "missing, or not %s",
                                  absolute ? "an absolute path" : "a name or path");
        *out = strdup(v->text);
        return *out ? 0 : hr_fail(err, "out of memory");
}

int state_load(const char *dir, struct container_state *st, struct hr_error *err)
{
        cleanup_free char *path = NULL;
        cleanup_json struct json *doc = NULL;
        struct stat sb;
        memset(st, 0, sizeof(*st));
        if (asprintf(&path, "%s/%s", dir, STATE_FILE) < 0) {
                path = NULL;
                return hr_fail(err, "out of memory");
        }
        if (lstat(path, &sb) < 0)
                return errno == ENOENT ? 0 : hr_fail_errno(err, errno, "%s", path);
        /* only we write there: anything else is not ours to believe */
        if (!S_ISREG(sb.st_mode) || sb.st_uid != geteuid() || (sb.st_mode & 077) != 0)
                return hr_fail(err, "%s: not a private regular file of ours", path);
        if (json_load_path(path, JSON_OWN, &doc, err) < 0)
                return -1;
        if (doc->type != JSON_OBJECT)
                return hr_fail(err, "%s: expected an object", path);
        if (take_string(doc, "/profile", false, &st->profile, path, err) < 0 ||
            take_string(doc, "/bundle", true, &st->bundle, path, err) < 0 ||
            ns_joins_from_json(json_obj_get(doc, "enter"), &st->enter, &st->nenter, err) < 0 ||
            (json_obj_get(doc, "apparmor") != NULL &&
             take_string(doc, "/apparmor", false, &st->apparmor, path, err) < 0)) {
                hr_error_prefix(err, "%s", path);
                state_free(st);
                return -1;
        }
        return 1;
}

void state_free(struct container_state *st)
{
        free(st->profile);
        free(st->bundle);
        free(st->apparmor);
        ns_joins_free(st->enter, st->nenter);
        memset(st, 0, sizeof(*st));
}
