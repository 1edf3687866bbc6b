/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef HR_PATHUTIL_H
#define HR_PATHUTIL_H

#include <stdbool.h>

/* Lexical clean of a path as Go's filepath.Clean does for runc ("//tmp/./"
 * and "/x/../tmp" both name "/tmp"); the result is absolute. Caller frees. */
char *path_clean(const char *p);
/* Is path dir itself or below it? Both clean. */
bool path_within(const char *path, const char *dir);

/* Does the namespace file path name the namespace of the given OCI type
 * ("network", "mount", "pid", ...) that this process itself is in, i.e. the
 * host's? Fails (-1, errno set) when either cannot be examined. */
int ns_is_ours(const char *path, const char *oci_type, bool *ours);

#endif
