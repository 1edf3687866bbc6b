// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "decision.h"
#include "json.h"

static int add_str(struct json *o, const char *k, const char *v, struct hr_error *err)
{
        return json_obj_set(o, k, v ? json_new_string(v) : json_new(JSON_NULL), err);
}

static struct json *change_object(const struct change *c, struct hr_error *err)
{
        struct json *o = json_new(JSON_OBJECT);
        if (o == NULL || add_str(o, "rule", c->rule, err) < 0 ||
            add_str(o, "kind", change_kind_name(c->kind), err) < 0 ||
            add_str(o, "pointer", c->pointer, err) < 0 ||
            add_str(o, "before", c->before, err) < 0 || add_str(o, "after", c->after, err) < 0 ||
            add_str(o, "reason", c->reason, err) < 0) {
                json_free(o);
                return NULL;
        }
        return o;
}

char *decision_json_line(const struct decision *d, const char *when)
{
        struct hr_error err = {0};
        cleanup_json struct json *o = json_new(JSON_OBJECT);
        struct json *changes = json_new(JSON_ARRAY);
        char *text = NULL, *line = NULL;
        int rc = o && changes ? 0 : -1;
        rc = rc ?: add_str(o, "time", when, &err);
        rc = rc ?: add_str(o, "verb", d->verb, &err);
        rc = rc ?: add_str(o, "container", d->container_id, &err);
        rc = rc ?: add_str(o, "bundle", d->bundle, &err);
        rc = rc ?: add_str(o, "profile", d->profile, &err);
        rc = rc ?: add_str(o, "profileSource", d->profile_source, &err);
        rc = rc ?: add_str(o, "verdict", d->refusal ? "refused" : "allowed", &err);
        rc = rc ?: add_str(o, "refusal", d->refusal, &err);
        for (size_t i = 0; rc == 0 && d->report && i < d->report->n; i++)
                rc = json_array_append(changes, change_object(&d->report->items[i], &err), &err);
        if (rc == 0) {
                rc = json_obj_set(o, "changes", changes, &err);
                changes = NULL;
        }
        json_free(changes);
        if (rc == 0 && json_emit(o, false, &text, NULL, &err) == 0 &&
            asprintf(&line, "%s\n", text) < 0)
                line = NULL;
        free(text);
        hr_error_clear(&err);
        return line;
}

static void append(const char *path, const char *line)
{
        size_t n = strlen(line);
        int fd =
            open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0640);
        ssize_t w;
        if (fd < 0) {
                fprintf(stderr, "hardened-runc: decision log %s: %s\n", path, strerror(errno));
                return;
        }
        w = write(fd, line, n); /* one O_APPEND write: lines never interleave */
        if (w != (ssize_t)n)
                fprintf(stderr, "hardened-runc: decision log %s: %s\n", path,
                        w < 0 ? strerror(errno) : "short write");
        if (close(fd) < 0)
                fprintf(stderr, "hardened-runc: decision log %s: %s\n", path, strerror(errno));
}

static void to_syslog(const struct decision *d)
{
        size_t changed = d->report ? report_count(d->report, CHANGE_REWRITE) : 0;
        size_t warned = d->report ? report_count(d->report, CHANGE_WARN) : 0;
        openlog("hardened-runc", LOG_PID, LOG_DAEMON);
        syslog(d->refusal ? LOG_WARNING : LOG_NOTICE,
               "%s container %s profile %s: %s; %zu changed, %zu warnings%s%s",
               d->verb ? d->verb : "-", d->container_id ? d->container_id : "-",
               d->profile ? d->profile : "-", d->refusal ? "refused" : "allowed", changed, warned,
               d->refusal ? ": " : "", d->refusal ? d->refusal : "");
        closelog();
}

int decision_log_check(const struct hr_config *cfg, struct hr_error *err)
{
        int fd;
        if (cfg->log_file == NULL)
                return 0;
        fd = open(cfg->log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
                  0640);
        if (fd < 0)
                return hr_fail_errno(err, errno,
                                     "decision log %s (the admin config's decisionLog.file) "
                                     "cannot be written, and nothing runs unrecorded",
                                     cfg->log_file);
        if (close(fd) < 0)
                return hr_fail_errno(err, errno, "decision log %s", cfg->log_file);
        return 0;
}

bool decision_worth_recording(const struct hr_config *cfg, const struct decision *d)
{
        size_t warned = d->report ? report_count(d->report, CHANGE_WARN) : 0;
        size_t changed = d->report ? report_count(d->report, CHANGE_REWRITE) : 0;
        if (d->verb == NULL || strcmp(d->verb, "exec") != 0 || d->refusal != NULL)
                return true;
        switch (cfg->log_exec) {
        case LOG_EXEC_ALL:
                return true;
        case LOG_EXEC_CHANGED:
                return changed + warned > 0;
        case LOG_EXEC_REFUSED:
                return warned > 0;
        }
        return true;
}

void decision_record(const struct hr_config *cfg, const struct decision *d)
{
        char when[64];
        struct timespec ts;
        struct tm tm;
        if (!decision_worth_recording(cfg, d))
                return;
        if (cfg->log_syslog)
                to_syslog(d);
        if (cfg->log_file == NULL)
                return;
        if (clock_gettime(CLOCK_REALTIME, &ts) < 0 || gmtime_r(&ts.tv_sec, &tm) == NULL ||
            strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                snprintf(when, sizeof(when), "1970-01-01T00:00:00Z");
        cleanup_free char *line = decision_json_line(d, when);
        if (line == NULL) {
                fprintf(stderr, "hardened-runc: decision log: out of memory\n");
                return;
        }
        append(cfg->log_file, line);
}
