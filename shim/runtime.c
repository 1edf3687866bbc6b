// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime.h"

int runtime_check(const char *path, struct hr_error *err)
{
        struct stat rt, self;
        if (path[0] != '/')
                return hr_fail(err, "runtime \"%s\" is not an absolute path", path);
        if (stat(path, &rt) < 0)
                return hr_fail_errno(err, errno, "runtime %s", path);
        if (!S_ISREG(rt.st_mode) || (rt.st_mode & 0111) == 0)
                return hr_fail(err, "runtime %s is not an executable file", path);
        if (stat("/proc/self/exe", &self) < 0)
                return hr_fail_errno(err, errno, "stat /proc/self/exe");
        if (rt.st_dev == self.st_dev && rt.st_ino == self.st_ino)
                return hr_fail(err,
                               "runtime %s is hardened-runc itself; set \"runtime\" in the admin "
                               "config to the real runc",
                               path);
        return 0;
}

int runtime_exec(const char *path, char **argv, struct hr_error *err)
{
        if (runtime_check(path, err) < 0)
                return -1;
        argv[0] = (char *)path;
        execv(path, argv);
        return hr_fail_errno(err, errno, "exec %s", path);
}
