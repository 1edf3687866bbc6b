/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The decision record: one per create, exec or update, to syslog (journald picks
 * it up) and, when configured, as one JSON line appended to a file. */
#ifndef HR_DECISION_H
#define HR_DECISION_H

#include <stdbool.h>

#include "policy.h"
#include "report.h"

struct decision {
        const char *container_id;
        const char *bundle;
        const char *profile;        /* name, or NULL when none was loaded */
        const char *profile_source; /* the file it came from, or the built-in profile */
        const struct report *report;
        const char *refusal; /* NULL when the container goes ahead */
        const char *verb;    /* create, run, restore, exec or update */
};

/* Can the decision log file be appended to? Checked before a create,
 * exec or update is judged: where the admin asked for a record, none is
 * run unrecorded (a full or read-only log fails closed). 0 when no file is
 * configured. */
int decision_log_check(const struct hr_config *cfg, struct hr_error *err);
/* Is d recorded at all? Every create, update and refusal is; an exec
 * that goes ahead, as decisionLog.exec says (policy.h enum log_exec). */
bool decision_worth_recording(const struct hr_config *cfg, const struct decision *d);
/* Each record opens the file, appends one line with one write and closes
 * it: no descriptor is held, so a rotated log is picked up at the next
 * record. A failure to record after the check passed (the disk filled since) is
 * printed on stderr and does not undo what was done. */
void decision_record(const struct hr_config *cfg, const struct decision *d);
/* The JSON line (with trailing newline); caller frees. */
char *decision_json_line(const struct decision *d, const char *rfc3339_time);

#endif
