// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "errlog.h"
#include "json.h"

static char *json_line(const char *msg, const char *when)
{
        struct hr_error err = {0};
        cleanup_json struct json *o = json_new(JSON_OBJECT);
        char *text = NULL, *line = NULL;
        if (o == NULL || json_obj_set(o, "level", json_new_string("error"), &err) < 0 ||
            json_obj_set(o, "msg", json_new_string(msg), &err) < 0 ||
            json_obj_set(o, "time", json_new_string(when), &err) < 0 ||
            json_emit(o, false, &text, NULL, &err) < 0) {
                hr_error_clear(&err);
                return NULL;
        }
        if (asprintf(&line, "%s\n", text) < 0)
                line = NULL;
        free(text);
        return line;
}

/* Go's strconv.Quote as logrus' text formatter applies it. */
static char *go_quote(const char *s)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f == NULL)
                return NULL;
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
                if (*p == '"' || *p == '\\')
                        fprintf(f, "\\%c", *p);
                else if (*p == '\n')
                        fputs("\\n", f);
                else if (*p == '\t')
                        fputs("\\t", f);
                else if (*p < 0x20 || *p == 0x7f)
                        fprintf(f, "\\x%02x", *p);
                else
                        fputc(*p, f);
        }
        fputc('"', f);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

char *errlog_format_line(const char *log_format, const char *msg, const char *when)
{
        cleanup_free char *quoted = NULL;
        char *line = NULL;
        if (log_format != NULL && strcmp(log_format, "json") == 0)
                return json_line(msg, when);
        quoted = go_quote(msg);
        if (quoted == NULL || asprintf(&line, "time=\"%s\" level=error msg=%s\n", when, quoted) < 0)
                return NULL;
        return line;
}

static void now_rfc3339(char *buf, size_t len)
{
        struct timespec ts;
        struct tm tm;
        if (clock_gettime(CLOCK_REALTIME, &ts) < 0 || gmtime_r(&ts.tv_sec, &tm) == NULL ||
            strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                snprintf(buf, len, "1970-01-01T00:00:00Z");
}

static void append_line(const char *path, const char *line)
{
        size_t n = strlen(line);
        ssize_t w;
        int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0) {
                fprintf(stderr, "hardened-runc: cannot open log %s: %s\n", path, strerror(errno));
                return;
        }
        /* One write(2) with O_APPEND: the line lands whole after whatever
         * runc or containerd wrote before. */
        w = write(fd, line, n);
        if (w != (ssize_t)n)
                fprintf(stderr, "hardened-runc: cannot write log %s: %s\n", path,
                        w < 0 ? strerror(errno) : "short write");
        if (close(fd) < 0)
                fprintf(stderr, "hardened-runc: cannot close log %s: %s\n", path, strerror(errno));
}

void errlog_report(const char *log_path, const char *log_format, const char *msg)
{
        char when[64];
        fprintf(stderr, "%s\n", msg);
        if (log_path == NULL)
                return;
        now_rfc3339(when, sizeof(when));
        cleanup_free char *line = errlog_format_line(log_format, msg, when);
        if (line == NULL) {
                fprintf(stderr, "hardened-runc: out of memory formatting the log line\n");
                return;
        }
        append_line(log_path, line);
}
