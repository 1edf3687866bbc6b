/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Refusals reported where the caller looks: runc's --log file (containerd
 * shows the last "error" line's msg as "OCI runtime create failed: <msg>";
 * podman decodes the file as one object) and stderr. */
#ifndef HR_ERRLOG_H
#define HR_ERRLOG_H

/* Append exactly one error line to log_path (created 0644 if absent) in
 * format "json" (logrus JSON) or "text" (logrus text; the default, as in
 * runc), and print msg on stderr. Best effort: failures go to stderr. */
void errlog_report(const char *log_path, const char *log_format, const char *msg);

/* The log line alone, for tests; caller frees. NULL on allocation failure. */
char *errlog_format_line(const char *log_format, const char *msg, const char *rfc3339_time);

#endif
