// SPDX-License-Identifier: GPL-2.0-or-later
/* The numbers and titles are those of the CIS Docker Benchmark v1.6.0
 * (2023-06-14), section 5 "Container Runtime Configuration", where 5.1 is
 * swarm mode, so that every runtime recommendation is one higher than in
 * v1.4.0 and earlier (read-only root: 5.12 there, 5.13 here). The Pod
 * Security Standards controls are named as the Kubernetes documentation
 * names them, with the policy level that first carries them. More specific
 * entries come first: the first match wins. */
#include <stdbool.h>
#include <string.h>

#include "controls.h"

#define PSS_B(name) name " (Baseline)"
#define PSS_R(name) name " (Restricted)"

const struct control control_table[] = {
    {"user", "/process/user/uid", NULL, "4.1",
     "Ensure that a user for the container has been created", PSS_R("Running as Non-root user")},
    {"user", "/process/user/gid", NULL, "4.1",
     "Ensure that a user for the container has been created", PSS_R("Running as Non-root user")},
    {"rootfs", "/root/readonly", NULL, "5.13",
     "Ensure that the container's root filesystem is mounted as read only", NULL},
    {"nnp", "", NULL, "5.26",
     "Ensure that the container is restricted from acquiring additional "
     "privileges",
     PSS_R("Privilege Escalation")},
    {"caps", "", NULL, "5.4",
     "Ensure that Linux kernel capabilities are restricted within "
     "containers",
     PSS_B("Capabilities")},
    {"labels", "/process/apparmorProfile", NULL, "5.2",
     "Ensure that, if applicable, an AppArmor Profile is enabled", PSS_B("AppArmor")},
    {"labels", "/process/selinuxLabel", NULL, "5.3",
     "Ensure that, if applicable, SELinux security options are set", PSS_B("SELinux")},
    {"labels", "/linux/mountLabel", NULL, "5.3",
     "Ensure that, if applicable, SELinux security options are set", PSS_B("SELinux")},
    {"seccomp", "", NULL, "5.22", "Ensure the default seccomp profile is not Disabled",
     PSS_B("Seccomp")},
    {"annotations", "/annotations/run.oci.seccomp", NULL, "5.22",
     "Ensure the default seccomp profile is not Disabled", PSS_B("Seccomp")},
    {"resources", "/linux/resources/memory", NULL, "5.11",
     "Ensure that the memory usage for containers is limited", NULL},
    {"resources", "/linux/resources/cpu", NULL, "5.12",
     "Ensure that CPU priority is set appropriately on containers", NULL},
    {"resources", "/linux/resources/pids", NULL, "5.29",
     "Ensure that the PIDs cgroup limit is used", NULL},
    {"resources", "/linux/resources/unified/memory.", NULL, "5.11",
     "Ensure that the memory usage for containers is limited", NULL},
    {"resources", "/linux/resources/unified/cpu.", NULL, "5.12",
     "Ensure that CPU priority is set appropriately on containers", NULL},
    {"resources", "/linux/resources/unified/pids.", NULL, "5.29",
     "Ensure that the PIDs cgroup limit is used", NULL},
    {"cgroups", "", NULL, "5.25", "Ensure that cgroup usage is confirmed", NULL},
    {"systemd", "", NULL, "5.25", "Ensure that cgroup usage is confirmed", NULL},
    {"rlimits", "", NULL, "5.19",
     "Ensure that the default ulimit is overwritten at runtime if needed", NULL},
    {"namespaces", "/linux/namespaces", "network namespace", "5.10",
     "Ensure that the host's network namespace is not shared", PSS_B("Host Namespaces")},
    {"namespaces", "/linux/namespaces", "pid namespace", "5.16",
     "Ensure that the host's process namespace is not shared", PSS_B("Host Namespaces")},
    {"namespaces", "/linux/namespaces", "ipc namespace", "5.17",
     "Ensure that the host's IPC namespace is not shared", PSS_B("Host Namespaces")},
    {"namespaces", "/linux/namespaces", "uts namespace", "5.21",
     "Ensure that the host's UTS namespace is not shared", NULL},
    {"userns", "/linux/namespaces", NULL, "5.31",
     "Ensure that the host's user namespaces are not shared", NULL},
    {"userns", "/linux/uidMappings", NULL, "5.31",
     "Ensure that the host's user namespaces are not shared", NULL},
    {"userns", "/linux/gidMappings", NULL, "5.31",
     "Ensure that the host's user namespaces are not shared", NULL},
    {"mounts", "/mounts", "docker.sock", "5.32",
     "Ensure that the Docker socket is not mounted inside any containers",
     PSS_B("HostPath Volumes")},
    {"mounts", "/mounts", "\"shared\"", "5.20",
     "Ensure mount propagation mode is not set to shared", NULL},
    {"mounts", "/mounts", "\"rshared\"", "5.20",
     "Ensure mount propagation mode is not set to shared", NULL},
    {"mounts", "/linux/rootfsPropagation", NULL, "5.20",
     "Ensure mount propagation mode is not set to shared", NULL},
    {"mounts", "", NULL, "5.6",
     "Ensure sensitive host system directories are not mounted on "
     "containers",
     PSS_B("HostPath Volumes")},
    {"devices", "", NULL, "5.18", "Ensure that host devices are not directly exposed to containers",
     NULL},
    {"paths", "", NULL, "5.5", "Ensure that privileged containers are not used",
     PSS_B("/proc Mount Type")},
    {"sysctls", "", NULL, NULL, NULL, PSS_B("Sysctls")},
};

const size_t control_count = sizeof(control_table) / sizeof(*control_table);

static bool prefix_of(const char *prefix, const char *pointer)
{
        size_t n = strlen(prefix);
        return strncmp(prefix, pointer, n) == 0 &&
               (n == 0 || pointer[n] == '\0' || pointer[n] == '/' || prefix[n - 1] == '.');
}

static bool holds(const char *text, const char *part)
{
        return text != NULL && strstr(text, part) != NULL;
}

const struct control *control_for(const char *rule, const char *pointer, const char *value,
                                  const char *reason)
{
        for (size_t i = 0; i < control_count; i++) {
                const struct control *c = &control_table[i];
                if (strcmp(c->rule, rule) == 0 && prefix_of(c->pointer, pointer) &&
                    (c->match == NULL || holds(reason, c->match) || holds(value, c->match)))
                        return c;
        }
        return NULL;
}
