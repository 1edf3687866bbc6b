// SPDX-License-Identifier: GPL-2.0-or-later
/* hardened-runc seccomp-log ID: what a container's seccomp filter denies
 * (or, in a profile's "mode": "log", would deny), by system call name,
 * from the kernel's own records.
 *
 * The kernel sends every audit record to the audit netlink multicast group
 * (AUDIT_NLGRP_READLOG, for CAP_AUDIT_READ) as well as to auditd or the
 * kernel log; the log's printk path drops records under load, the group
 * does not. A seccomp record (AUDIT_SECCOMP) names the task by its host pid
 * and host uid. It belongs to the container when that pid's namespace is
 * the container init's, or, once the task is gone (a short-lived process),
 * when the uid is one of the host ids the container's user namespace maps
 * (its own id block under idRange exclusive; a pod shares one). Counts are
 * printed, most first, when the time is up or on SIGINT/SIGTERM. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <libmnl/libmnl.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cleanup.h"
#include "harden.h"
#include "seccomp-log.h"

struct seen {
        uint32_t arch;
        long nr;
        unsigned long count;
};

struct tally {
        dev_t dev; /* the container's pid namespace */
        ino_t ino;
        unsigned long long uid_lo, uid_hi; /* host uids its user namespace maps */
        struct seen *v;
        size_t n;
        unsigned long others; /* records of other tasks */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
        (void)sig;
        stop = 1;
}

/* The value of " key=" in a record, as a number in base; -1 when absent. */
static int field(const char *rec, size_t len, const char *key, int base, unsigned long long *out)
{
        char pat[32];
        const char *p;
        char *end;
        snprintf(pat, sizeof(pat), " %s=", key);
        p = memmem(rec, len, pat, strlen(pat));
        if (p == NULL)
                return -1;
        p += strlen(pat);
        errno = 0;
        *out = strtoull(p, &end, base);
        return errno != 0 || end == p || end > rec + len ? -1 : 0;
}

static bool in_container(const struct tally *t, unsigned long long pid, unsigned long long uid,
                         bool has_uid)
{
        char path[64];
        struct stat st;
        snprintf(path, sizeof(path), "/proc/%llu/ns/pid", pid);
        if (stat(path, &st) == 0)
                return st.st_dev == t->dev && st.st_ino == t->ino;
        return has_uid && uid >= t->uid_lo && uid < t->uid_hi;
}

/* The host ids container root's map extent covers ("0 H N"), from the
 * init's uid_map; none when it maps no root. */
static void mapped_uids(struct tally *t, long long pid)
{
        char path[64];
        FILE *f;
        unsigned long long in, out, n;
        snprintf(path, sizeof(path), "/proc/%lld/uid_map", pid);
        if ((f = fopen(path, "re")) == NULL)
                return;
        while (fscanf(f, "%llu %llu %llu", &in, &out, &n) == 3)
                if (in == 0 && n > 0 && out != 0) {
                        t->uid_lo = out;
                        t->uid_hi = out + n;
                }
        fclose(f);
}

static int count(struct tally *t, uint32_t arch, long nr)
{
        struct seen *v;
        for (size_t i = 0; i < t->n; i++)
                if (t->v[i].arch == arch && t->v[i].nr == nr) {
                        t->v[i].count++;
                        return 0;
                }
        if ((v = reallocarray(t->v, t->n + 1, sizeof(*v))) == NULL)
                return -1;
        t->v = v;
        t->v[t->n++] = (struct seen){arch, nr, 1};
        return 0;
}

static int on_message(const struct nlmsghdr *nlh, void *arg)
{
        struct tally *t = arg;
        const char *rec = mnl_nlmsg_get_payload(nlh);
        size_t len = mnl_nlmsg_get_payload_len(nlh);
        unsigned long long pid, arch, nr, uid = 0;
        bool has_uid;
        if (nlh->nlmsg_type != AUDIT_SECCOMP)
                return MNL_CB_OK;
        if (field(rec, len, "pid", 10, &pid) < 0 || field(rec, len, "arch", 16, &arch) < 0 ||
            field(rec, len, "syscall", 10, &nr) < 0)
                return MNL_CB_OK;
        has_uid = field(rec, len, "uid", 10, &uid) == 0;
        if (!in_container(t, pid, uid, has_uid)) {
                t->others++;
                return MNL_CB_OK;
        }
        return count(t, (uint32_t)arch, (long)nr) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

static int by_count_desc(const void *x, const void *y)
{
        const struct seen *a = x, *b = y;
        return a->count < b->count ? 1 : a->count > b->count ? -1 : 0;
}

static void print_tally(FILE *out, struct tally *t)
{
        if (t->n > 0)
                qsort(t->v, t->n, sizeof(*t->v), by_count_desc);
        for (size_t i = 0; i < t->n; i++) {
                cleanup_free char *name =
                    seccomp_syscall_resolve_num_arch(t->v[i].arch, (int)t->v[i].nr);
                fprintf(out, "%s %lu\n", name ? name : "?", t->v[i].count);
        }
        if (t->n == 0)
                fprintf(out, "# no seccomp records for the container\n");
}

/* an audit record is at most MAX_AUDIT_MESSAGE_LENGTH (8970) bytes */
#define RECV_BUFFER 16384

static int listen_loop(struct mnl_socket *nl, struct tally *t, long seconds, struct hr_error *err)
{
        cleanup_free char *buf = malloc(RECV_BUFFER);
        struct timespec start;
        if (buf == NULL)
                return hr_fail(err, "out of memory");
        clock_gettime(CLOCK_MONOTONIC, &start);
        while (!stop) {
                struct pollfd p = {.fd = mnl_socket_get_fd(nl), .events = POLLIN};
                struct timespec now;
                ssize_t n;
                int r = poll(&p, 1, 200);
                clock_gettime(CLOCK_MONOTONIC, &now);
                if (seconds > 0 && now.tv_sec - start.tv_sec >= seconds)
                        break;
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return hr_fail_errno(err, errno, "poll the audit socket");
                if (r == 0)
                        continue;
                n = mnl_socket_recvfrom(nl, buf, RECV_BUFFER);
                if (n < 0 && (errno == EINTR || errno == ENOBUFS))
                        continue; /* ENOBUFS: records lost to a full buffer; keep reading */
                if (n < 0)
                        return hr_fail_errno(err, errno, "read the audit socket");
                if (mnl_cb_run(buf, (size_t)n, 0, 0, on_message, t) == MNL_CB_ERROR)
                        return hr_fail(err, "out of memory");
        }
        return 0;
}

int seccomp_log_run(const struct runc_args *a, const struct hr_config *cfg, long seconds, FILE *out,
                    struct hr_error *err)
{
        struct tally t = {0};
        struct mnl_socket *nl;
        struct sigaction sa = {.sa_handler = on_signal};
        char path[64];
        struct stat st;
        long long pid;
        int rc;
        if (container_init_pid(a, cfg, &pid, err) < 0)
                return -1;
        snprintf(path, sizeof(path), "/proc/%lld/ns/pid", pid);
        if (stat(path, &st) < 0)
                return hr_fail_errno(err, errno, "stat %s", path);
        t.dev = st.st_dev;
        t.ino = st.st_ino;
        mapped_uids(&t, pid);
        if ((nl = mnl_socket_open(NETLINK_AUDIT)) == NULL)
                return hr_fail_errno(err, errno, "open an audit netlink socket");
        if (mnl_socket_bind(nl, 1U << (AUDIT_NLGRP_READLOG - 1), MNL_SOCKET_AUTOPID) < 0) {
                int e = errno;
                mnl_socket_close(nl);
                return hr_fail_errno(err, e,
                                     "join the audit log's multicast group (needs CAP_AUDIT_READ)");
        }
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0) {
                mnl_socket_close(nl);
                return hr_fail_errno(err, errno, "sigaction");
        }
        fprintf(stderr, "hardened-runc: listening for seccomp records of %s (pid %lld)%s\n",
                a->container_id, pid, seconds > 0 ? "" : "; ^C to stop");
        rc = listen_loop(nl, &t, seconds, err);
        mnl_socket_close(nl);
        if (rc == 0) {
                print_tally(out, &t);
                if (fflush(out) != 0)
                        rc = hr_fail(err, "cannot write to stdout");
        }
        free(t.v);
        return rc;
}
