/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --help: our flags and commands, the rules in order. A unit test checks
 * that every word of our command line in it is in hardened-runc(8). */
#ifndef HR_USAGE_H
#define HR_USAGE_H

#include <stdio.h>

void usage_print(FILE *f);

#endif
