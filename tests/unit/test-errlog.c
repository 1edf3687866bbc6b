// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "errlog.h"
#include "helpers.h"
#include "json.h"

Test(errlog, json_line_is_one_logrus_object)
{
        cleanup_free char *line =
            errlog_format_line("json", "hardened-runc: a \"quoted\"\nmsg", "2026-01-02T03:04:05Z");
        size_t n = strlen(line);
        cr_assert_eq(line[n - 1], '\n');
        cr_assert_null(memchr(line, '\n', n - 1), "exactly one line");
        cleanup_json struct json *j = parse_or_die(line);
        cr_assert_eq(j->n, 3);
        cr_assert_str_eq(j->keys[0], "level");
        cr_assert_str_eq(json_obj_get(j, "level")->text, "error");
        cr_assert_str_eq(json_obj_get(j, "msg")->text, "hardened-runc: a \"quoted\"\nmsg");
        cr_assert_str_eq(json_obj_get(j, "time")->text, "2026-01-02T03:04:05Z");
}

Test(errlog, text_line_matches_logrus_text_format)
{
        cleanup_free char *line =
            errlog_format_line("text", "bad \"x\"\\y", "2026-01-02T03:04:05Z");
        cr_assert_str_eq(line,
                         "time=\"2026-01-02T03:04:05Z\" level=error msg=\"bad \\\"x\\\"\\\\y\"\n");
        cleanup_free char *dflt = errlog_format_line(NULL, "m", "T");
        cr_assert_str_eq(dflt, "time=\"T\" level=error msg=\"m\"\n");
}

Test(errlog, report_creates_the_log_and_appends_one_line)
{
        char *dir = make_temp_dir();
        cleanup_free char *log = NULL;
        cr_assert(asprintf(&log, "%s/log.json", dir) > 0);
        errlog_report(log, "json", "hardened-runc: first");
        errlog_report(log, "json", "hardened-runc: second");
        size_t len;
        cleanup_free char *text = slurp(log, &len);
        char *nl = strchr(text, '\n');
        cr_assert_not_null(nl);
        cr_assert_eq(text[len - 1], '\n');
        cr_assert(strstr(nl + 1, "\"msg\":\"hardened-runc: second\"") != NULL, "%s", text);
        rm_tree(dir);
        free(dir);
}
