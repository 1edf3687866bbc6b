// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "fields.h"

/* Types follow the runtime-spec Go structs runc and containerd decode
 * (specs-go/config.go): Go's int and uint are 64 bits there, os.FileMode is
 * uint32. */
/* clang-format off */
#define M(p)          {p, FT_OBJECT, FATE_MEMBERS, NULL}
#define R(p, t)       {p, t, FATE_RULE, NULL}
#define H(p, t, why)  {p, t, FATE_HARMLESS, why}
#define X(p, t, why)  {p, t, FATE_REFUSED, why}
#define B(p, t)       {p, t, FATE_PARENT, NULL}

#define IDMAP(p) B(p "/*", FT_OBJECT), B(p "/*/containerID", FT_U32), \
        B(p "/*/hostID", FT_U32), B(p "/*/size", FT_U32)
#define HOOKS(p) B(p, FT_ARRAY), B(p "/*", FT_OBJECT), B(p "/*/path", FT_STRING), \
        B(p "/*/args", FT_ARRAY), B(p "/*/args/*", FT_STRING), B(p "/*/env", FT_ARRAY), \
        B(p "/*/env/*", FT_STRING), B(p "/*/timeout", FT_I64)
#define CAPSET(p) B(p, FT_ARRAY), B(p "/*", FT_STRING)
#define THROTTLE(p) H(p, FT_ARRAY, "a throttle only limits the container's own I/O"), \
        B(p "/*", FT_OBJECT), B(p "/*/major", FT_I64), B(p "/*/minor", FT_I64), \
        B(p "/*/rate", FT_U64)

#define WINDOWS "not a Linux container: no Linux runtime reads it"

const struct spec_field spec_fields[] = {
    M(""),
    H("/ociVersion", FT_STRING, "the spec's version label"),
    H("/hostname", FT_STRING, "set in the container's own uts namespace (the namespaces rule)"),
    H("/domainname", FT_STRING, "set in the container's own uts namespace (the namespaces rule)"),
    R("/annotations", FT_MAP), B("/annotations/*", FT_STRING),

    M("/root"),
    R("/root/path", FT_STRING),
    R("/root/readonly", FT_BOOL),

    R("/mounts", FT_ARRAY), B("/mounts/*", FT_OBJECT),
    B("/mounts/*/destination", FT_STRING), B("/mounts/*/type", FT_STRING),
    B("/mounts/*/source", FT_STRING), B("/mounts/*/options", FT_ARRAY),
    B("/mounts/*/options/*", FT_STRING),
    X("/mounts/*/uidMappings", FT_ARRAY, "an idmapped mount chosen by the spec maps host ids the profile has not judged; hardened-runc idmaps volumes itself"),
    IDMAP("/mounts/*/uidMappings"),
    X("/mounts/*/gidMappings", FT_ARRAY, "an idmapped mount chosen by the spec maps host ids the profile has not judged; hardened-runc idmaps volumes itself"),
    IDMAP("/mounts/*/gidMappings"),

    M("/process"),
    H("/process/terminal", FT_BOOL, "a pseudo-terminal of the container's own devpts"),
    H("/process/consoleSize", FT_OBJECT, "the terminal's size"),
    B("/process/consoleSize/height", FT_U64), B("/process/consoleSize/width", FT_U64),
    M("/process/user"),
    R("/process/user/uid", FT_U32),
    R("/process/user/gid", FT_U32),
    H("/process/user/umask", FT_U32, "only narrows the modes of files the process creates"),
    R("/process/user/additionalGids", FT_ARRAY), B("/process/user/additionalGids/*", FT_U32),
    H("/process/user/username", FT_STRING, "read on Windows only"),
    H("/process/args", FT_ARRAY, "what the container runs, inside the container"),
    B("/process/args/*", FT_STRING),
    H("/process/commandLine", FT_STRING, "read on Windows only"),
    H("/process/env", FT_ARRAY, "the process's environment, inside the container"),
    B("/process/env/*", FT_STRING),
    R("/process/cwd", FT_STRING),
    R("/process/capabilities", FT_OBJECT),
    CAPSET("/process/capabilities/bounding"), CAPSET("/process/capabilities/effective"),
    CAPSET("/process/capabilities/inheritable"), CAPSET("/process/capabilities/permitted"),
    CAPSET("/process/capabilities/ambient"),
    R("/process/rlimits", FT_ARRAY), B("/process/rlimits/*", FT_OBJECT),
    B("/process/rlimits/*/type", FT_STRING), B("/process/rlimits/*/hard", FT_U64),
    B("/process/rlimits/*/soft", FT_U64),
    R("/process/noNewPrivileges", FT_BOOL),
    R("/process/apparmorProfile", FT_STRING),
    R("/process/oomScoreAdj", FT_I64),
    X("/process/scheduler", FT_OBJECT, "a scheduling policy (real-time or deadline) can starve the host; not judged yet"),
    B("/process/scheduler/policy", FT_STRING), B("/process/scheduler/nice", FT_I32),
    B("/process/scheduler/priority", FT_I32), B("/process/scheduler/flags", FT_ARRAY),
    B("/process/scheduler/flags/*", FT_STRING), B("/process/scheduler/runtime", FT_U64),
    B("/process/scheduler/deadline", FT_U64), B("/process/scheduler/period", FT_U64),
    R("/process/selinuxLabel", FT_STRING),
    X("/process/ioPriority", FT_OBJECT, "a real-time I/O class can starve the host's I/O; not judged yet"),
    B("/process/ioPriority/class", FT_STRING), B("/process/ioPriority/priority", FT_I64),
    H("/process/execCPUAffinity", FT_OBJECT, "CPUs within the container's own cpuset"),
    B("/process/execCPUAffinity/initial", FT_STRING), B("/process/execCPUAffinity/final", FT_STRING),

    R("/hooks", FT_OBJECT),
    HOOKS("/hooks/prestart"), HOOKS("/hooks/createRuntime"), HOOKS("/hooks/createContainer"),
    HOOKS("/hooks/startContainer"), HOOKS("/hooks/poststart"), HOOKS("/hooks/poststop"),

    M("/linux"),
    R("/linux/uidMappings", FT_ARRAY), IDMAP("/linux/uidMappings"),
    R("/linux/gidMappings", FT_ARRAY), IDMAP("/linux/gidMappings"),
    H("/linux/timeOffsets", FT_MAP, "clock offsets of the container's own time namespace"),
    B("/linux/timeOffsets/*", FT_OBJECT), B("/linux/timeOffsets/*/secs", FT_I64),
    B("/linux/timeOffsets/*/nanosecs", FT_U32),
    R("/linux/sysctl", FT_MAP), B("/linux/sysctl/*", FT_STRING),
    M("/linux/resources"),
    R("/linux/resources/devices", FT_ARRAY), B("/linux/resources/devices/*", FT_OBJECT),
    B("/linux/resources/devices/*/allow", FT_BOOL), B("/linux/resources/devices/*/type", FT_STRING),
    B("/linux/resources/devices/*/major", FT_I64), B("/linux/resources/devices/*/minor", FT_I64),
    B("/linux/resources/devices/*/access", FT_STRING),
    M("/linux/resources/memory"),
    R("/linux/resources/memory/limit", FT_I64),
    H("/linux/resources/memory/reservation", FT_I64, "a soft limit: reclaim preference only"),
    R("/linux/resources/memory/swap", FT_I64),
    R("/linux/resources/memory/kernel", FT_I64),
    R("/linux/resources/memory/kernelTCP", FT_I64),
    H("/linux/resources/memory/swappiness", FT_U64, "reclaim preference within the container's limit"),
    R("/linux/resources/memory/disableOOMKiller", FT_BOOL),
    H("/linux/resources/memory/useHierarchy", FT_BOOL, "accounting of the container's own cgroup tree"),
    H("/linux/resources/memory/checkBeforeUpdate", FT_BOOL, "makes runc refuse an update below usage"),
    M("/linux/resources/cpu"),
    R("/linux/resources/cpu/shares", FT_U64),
    R("/linux/resources/cpu/quota", FT_I64),
    H("/linux/resources/cpu/burst", FT_U64, "bounded by the quota, which the resources rule clamps"),
    R("/linux/resources/cpu/period", FT_U64),
    R("/linux/resources/cpu/realtimeRuntime", FT_I64),
    H("/linux/resources/cpu/realtimePeriod", FT_U64, "without real-time runtime it grants nothing"),
    H("/linux/resources/cpu/cpus", FT_STRING, "a cpuset within the parent cgroup's"),
    H("/linux/resources/cpu/mems", FT_STRING, "a cpuset within the parent cgroup's"),
    H("/linux/resources/cpu/idle", FT_I64, "lowers the container's own priority"),
    M("/linux/resources/pids"),
    R("/linux/resources/pids/limit", FT_I64),
    H("/linux/resources/blockIO", FT_OBJECT, "I/O weights and throttles only share out or limit the container's I/O"),
    B("/linux/resources/blockIO/weight", FT_U16), B("/linux/resources/blockIO/leafWeight", FT_U16),
    B("/linux/resources/blockIO/weightDevice", FT_ARRAY), B("/linux/resources/blockIO/weightDevice/*", FT_OBJECT),
    B("/linux/resources/blockIO/weightDevice/*/major", FT_I64),
    B("/linux/resources/blockIO/weightDevice/*/minor", FT_I64),
    B("/linux/resources/blockIO/weightDevice/*/weight", FT_U16),
    B("/linux/resources/blockIO/weightDevice/*/leafWeight", FT_U16),
    THROTTLE("/linux/resources/blockIO/throttleReadBpsDevice"),
    THROTTLE("/linux/resources/blockIO/throttleWriteBpsDevice"),
    THROTTLE("/linux/resources/blockIO/throttleReadIOPSDevice"),
    THROTTLE("/linux/resources/blockIO/throttleWriteIOPSDevice"),
    H("/linux/resources/hugepageLimits", FT_ARRAY, "limits only"),
    B("/linux/resources/hugepageLimits/*", FT_OBJECT),
    B("/linux/resources/hugepageLimits/*/pageSize", FT_STRING),
    B("/linux/resources/hugepageLimits/*/limit", FT_U64),
    H("/linux/resources/network", FT_OBJECT, "tags the container's own packets"),
    B("/linux/resources/network/classID", FT_U32), B("/linux/resources/network/priorities", FT_ARRAY),
    B("/linux/resources/network/priorities/*", FT_OBJECT),
    B("/linux/resources/network/priorities/*/name", FT_STRING),
    B("/linux/resources/network/priorities/*/priority", FT_U32),
    H("/linux/resources/rdma", FT_MAP, "limits only"), B("/linux/resources/rdma/*", FT_OBJECT),
    B("/linux/resources/rdma/*/hcaHandles", FT_U32), B("/linux/resources/rdma/*/hcaObjects", FT_U32),
    R("/linux/resources/unified", FT_MAP), B("/linux/resources/unified/*", FT_STRING),
    R("/linux/cgroupsPath", FT_STRING),
    R("/linux/namespaces", FT_ARRAY), B("/linux/namespaces/*", FT_OBJECT),
    B("/linux/namespaces/*/type", FT_STRING), B("/linux/namespaces/*/path", FT_STRING),
    R("/linux/devices", FT_ARRAY), B("/linux/devices/*", FT_OBJECT),
    B("/linux/devices/*/path", FT_STRING), B("/linux/devices/*/type", FT_STRING),
    B("/linux/devices/*/major", FT_I64), B("/linux/devices/*/minor", FT_I64),
    B("/linux/devices/*/fileMode", FT_U32), B("/linux/devices/*/uid", FT_U32),
    B("/linux/devices/*/gid", FT_U32),
    R("/linux/seccomp", FT_OBJECT),
    B("/linux/seccomp/defaultAction", FT_STRING), B("/linux/seccomp/defaultErrnoRet", FT_U64),
    B("/linux/seccomp/architectures", FT_ARRAY), B("/linux/seccomp/architectures/*", FT_STRING),
    B("/linux/seccomp/flags", FT_ARRAY), B("/linux/seccomp/flags/*", FT_STRING),
    B("/linux/seccomp/listenerPath", FT_STRING), B("/linux/seccomp/listenerMetadata", FT_STRING),
    B("/linux/seccomp/syscalls", FT_ARRAY), B("/linux/seccomp/syscalls/*", FT_OBJECT),
    B("/linux/seccomp/syscalls/*/names", FT_ARRAY), B("/linux/seccomp/syscalls/*/names/*", FT_STRING),
    B("/linux/seccomp/syscalls/*/action", FT_STRING), B("/linux/seccomp/syscalls/*/errnoRet", FT_U64),
    B("/linux/seccomp/syscalls/*/args", FT_ARRAY), B("/linux/seccomp/syscalls/*/args/*", FT_OBJECT),
    B("/linux/seccomp/syscalls/*/args/*/index", FT_U64),
    B("/linux/seccomp/syscalls/*/args/*/value", FT_U64),
    B("/linux/seccomp/syscalls/*/args/*/valueTwo", FT_U64),
    B("/linux/seccomp/syscalls/*/args/*/op", FT_STRING),
    R("/linux/rootfsPropagation", FT_STRING),
    R("/linux/maskedPaths", FT_ARRAY), B("/linux/maskedPaths/*", FT_STRING),
    R("/linux/readonlyPaths", FT_ARRAY), B("/linux/readonlyPaths/*", FT_STRING),
    R("/linux/mountLabel", FT_STRING),
    X("/linux/intelRdt", FT_OBJECT, "a resctrl class is host-wide state another container or the host may use"),
    B("/linux/intelRdt/closID", FT_STRING), B("/linux/intelRdt/l3CacheSchema", FT_STRING),
    B("/linux/intelRdt/memBwSchema", FT_STRING), B("/linux/intelRdt/schemata", FT_ARRAY),
    B("/linux/intelRdt/schemata/*", FT_STRING), B("/linux/intelRdt/enableCMT", FT_BOOL),
    B("/linux/intelRdt/enableMBM", FT_BOOL), B("/linux/intelRdt/enableMonitoring", FT_BOOL),
    X("/linux/personality", FT_OBJECT, "execution domains and their flags (READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE) are not judged yet"),
    B("/linux/personality/domain", FT_STRING), B("/linux/personality/flags", FT_ARRAY),
    B("/linux/personality/flags/*", FT_STRING),
    X("/linux/memoryPolicy", FT_OBJECT, "NUMA memory policies are not judged yet"),
    B("/linux/memoryPolicy/mode", FT_STRING), B("/linux/memoryPolicy/nodes", FT_STRING),
    B("/linux/memoryPolicy/flags", FT_ARRAY), B("/linux/memoryPolicy/flags/*", FT_STRING),
    X("/linux/netDevices", FT_MAP, "moves host network devices into the container"),
    B("/linux/netDevices/*", FT_OBJECT), B("/linux/netDevices/*/name", FT_STRING),

    X("/solaris", FT_OBJECT, WINDOWS),
    X("/windows", FT_OBJECT, WINDOWS),
    X("/vm", FT_OBJECT, WINDOWS),
    X("/zos", FT_OBJECT, WINDOWS),
};
/* clang-format on */
const size_t spec_field_count = sizeof(spec_fields) / sizeof(*spec_fields);

static int by_pattern(const void *a, const void *b)
{
        return strcmp((*(const struct spec_field *const *)a)->pattern,
                      (*(const struct spec_field *const *)b)->pattern);
}

static int find_pattern(const void *key, const void *entry)
{
        return strcmp(key, (*(const struct spec_field *const *)entry)->pattern);
}

/* The table sorted by pattern, made on first use (the process is single-
 * threaded); NULL when out of memory, and then lookups scan the table. */
static const struct spec_field **sorted_fields(void)
{
        static const struct spec_field **sorted;
        if (sorted == NULL && (sorted = calloc(spec_field_count, sizeof(*sorted))) != NULL) {
                for (size_t i = 0; i < spec_field_count; i++)
                        sorted[i] = &spec_fields[i];
                qsort(sorted, spec_field_count, sizeof(*sorted), by_pattern);
        }
        return sorted;
}

const struct spec_field *spec_field_find(const char *pattern)
{
        const struct spec_field **sorted = sorted_fields();
        const struct spec_field **hit;
        if (sorted == NULL) {
                for (size_t i = 0; i < spec_field_count; i++)
                        if (strcmp(spec_fields[i].pattern, pattern) == 0)
                                return &spec_fields[i];
                return NULL;
        }
        hit = bsearch(pattern, sorted, spec_field_count, sizeof(*sorted), find_pattern);
        return hit ? *hit : NULL;
}

/* The parent pattern of p in buf: p without its last component. */
static bool parent_of(const char *p, char *buf, size_t len)
{
        const char *slash = strrchr(p, '/');
        size_t n;
        if (slash == NULL)
                return false;
        n = (size_t)(slash - p);
        if (n >= len)
                return false;
        memcpy(buf, p, n);
        buf[n] = '\0';
        return true;
}

const struct spec_field *spec_field_decider(const struct spec_field *f)
{
        char buf[256];
        while (f != NULL && f->fate == FATE_PARENT)
                f = parent_of(f->pattern, buf, sizeof(buf)) ? spec_field_find(buf) : NULL;
        return f;
}

const struct rule_def *spec_field_owner(const char *pattern)
{
        for (size_t i = 0; i < rule_count; i++)
                for (const char *const *o = rule_table[i]->owns; o && *o; o++)
                        if (strcmp(*o, pattern) == 0 ||
                            (strncmp(*o, pattern, strlen(*o)) == 0 && pattern[strlen(*o)] == '/'))
                                return rule_table[i];
        return NULL;
}

const char *field_type_name(enum field_type t)
{
        static const char *const names[] = {
            [FT_OBJECT] = "object", [FT_MAP] = "map",    [FT_ARRAY] = "array",
            [FT_STRING] = "string", [FT_BOOL] = "bool",  [FT_U16] = "uint16",
            [FT_U32] = "uint32",    [FT_U64] = "uint64", [FT_I32] = "int32",
            [FT_I64] = "int64",
        };
        return names[t];
}

void spec_fields_print(FILE *out)
{
        for (size_t i = 0; i < spec_field_count; i++) {
                const struct spec_field *f = &spec_fields[i];
                const struct spec_field *d = spec_field_decider(f);
                const struct rule_def *owner = spec_field_owner(f->pattern);
                if (f->pattern[0] == '\0')
                        continue;
                fprintf(out, "%-52s %-7s ", f->pattern, field_type_name(f->type));
                if (d == NULL)
                        fputs("?\n", out);
                else if (d->fate == FATE_MEMBERS)
                        fputs("(its members)\n", out);
                else if (d->fate == FATE_RULE)
                        fprintf(out, "rule %s\n", owner ? owner->name : "?");
                else
                        fprintf(out, "%s: %s\n", d->fate == FATE_HARMLESS ? "harmless" : "refused",
                                d->why);
        }
}
