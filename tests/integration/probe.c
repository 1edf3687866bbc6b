// SPDX-License-Identifier: GPL-2.0-or-later
/* A statically linked probe run inside test containers. For each probe
 * named on the command line it makes the system call(s) in a child process
 * (so no probe's side effects reach the next) and prints "name: ok" or
 * "name: <errno name>": the test reads what the kernel and the seccomp
 * filter answered, not what the spec says. "all" runs every probe. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRY(x) ((x) < 0 ? -1 : 0)

/* ---- ordinary operations: must work ---- */
static int p_getpid(void)
{
        return getpid() > 0 ? 0 : -1;
}
static int p_fork_exec(void)
{
        pid_t pid = fork();
        int st;
        if (pid == 0) {
                execl("/bin/true", "true", (char *)NULL);
                _exit(127);
        }
        if (pid < 0 || waitpid(pid, &st, 0) < 0)
                return -1;
        return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : (errno = ENOEXEC, -1);
}
static void *thread_fn(void *arg)
{
        return arg;
}
static int p_threads(void)
{
        pthread_t t;
        int e = pthread_create(&t, NULL, thread_fn, NULL);
        if (e != 0)
                return errno = e, -1;
        return pthread_join(t, NULL) == 0 ? 0 : -1;
}
static int p_mmap_mprotect(void)
{
        void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
                return -1;
        memset(m, 1, 4096);
        return TRY(mprotect(m, 4096, PROT_READ)) | TRY(munmap(m, 4096));
}
static int p_file_io(void)
{
        char buf[4];
        int fd = open("/tmp/hr-probe-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || write(fd, "abc", 3) != 3 || pread(fd, buf, 3, 0) != 3 || fsync(fd) < 0)
                return -1;
        close(fd);
        return TRY(unlink("/tmp/hr-probe-file"));
}
static int sock(int domain, int type, int proto)
{
        int fd = socket(domain, type, proto);
        if (fd < 0)
                return -1;
        close(fd);
        return 0;
}
static int p_socket_inet(void)
{
        return sock(AF_INET, SOCK_STREAM, 0);
}
static int p_socket_inet6(void)
{
        return sock(AF_INET6, SOCK_DGRAM, 0);
}
static int p_socket_unix(void)
{
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || write(sv[0], "x", 1) != 1)
                return -1;
        return sock(AF_UNIX, SOCK_DGRAM, 0);
}
static int p_socket_netlink_route(void)
{
        struct sockaddr_nl a = {.nl_family = AF_NETLINK};
        int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
        if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
                return -1;
        close(fd);
        return 0;
}
static int p_epoll(void)
{
        struct epoll_event ev = {.events = EPOLLIN}, out;
        int ep = epoll_create1(EPOLL_CLOEXEC), efd = eventfd(0, 0);
        if (ep < 0 || efd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) < 0)
                return -1;
        return epoll_wait(ep, &out, 1, 0) < 0 ? -1 : 0;
}
static int p_timerfd(void)
{
        struct itimerspec its = {.it_value = {0, 1000}};
        int fd = timerfd_create(CLOCK_MONOTONIC, 0);
        return fd < 0 ? -1 : TRY(timerfd_settime(fd, 0, &its, NULL));
}
static int p_eventfd(void)
{
        uint64_t v = 1;
        int fd = eventfd(0, 0);
        return fd < 0 || write(fd, &v, 8) != 8 || read(fd, &v, 8) != 8 ? -1 : 0;
}
static int p_signalfd(void)
{
        sigset_t m;
        sigemptyset(&m);
        sigaddset(&m, SIGUSR1);
        return TRY(signalfd(-1, &m, 0));
}
static int p_inotify(void)
{
        int fd = inotify_init1(0);
        return fd < 0 ? -1 : TRY(inotify_add_watch(fd, "/tmp", IN_CREATE));
}

/* ---- calls the default profile denies ---- */
static int p_unshare_user(void)
{
        return unshare(CLONE_NEWUSER);
}
static int p_clone_newuser(void)
{
        long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (pid == 0)
                _exit(0);
        return pid < 0 ? -1 : 0;
}
static int p_clone3(void)
{
        char args[88] = {0}; /* struct clone_args, version 0: flags 0, exit_signal 0 */
        long pid = syscall(SYS_clone3, args, sizeof(args));
        if (pid == 0)
                _exit(0);
        return pid < 0 ? -1 : 0;
}
/* Paths that do not exist: a probe run by mistake on a host changes nothing. */
#define NOWHERE "/hr-probe-nowhere"
static int p_mount(void)
{
        return mount("none", NOWHERE, "tmpfs", 0, NULL);
}
static int p_umount(void)
{
        return umount2(NOWHERE, MNT_DETACH);
}
static int p_pivot_root(void)
{
        return syscall(SYS_pivot_root, NOWHERE, NOWHERE);
}
static int p_chroot(void)
{
        return chroot(NOWHERE);
}
static int p_keyctl(void)
{
        return syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3, 0);
}
static int p_add_key(void)
{
        return syscall(SYS_add_key, "user", "hr-probe", "x", 1, -3);
}
static int p_request_key(void)
{
        return syscall(SYS_request_key, "user", "hr-probe-none", NULL, 0);
}
static int p_bpf(void)
{
        char attr[128] = {0};
        return syscall(SYS_bpf, 0 /* MAP_CREATE */, attr, sizeof(attr));
}
static int p_perf_event_open(void)
{
        char attr[128] = {0};
        return syscall(SYS_perf_event_open, attr, 0, -1, -1, 0);
}
static int p_userfaultfd(void)
{
        return syscall(SYS_userfaultfd, 0);
}
static int p_io_uring_setup(void)
{
        char params[120] = {0};
        return syscall(SYS_io_uring_setup, 1, params);
}
static int p_kexec_load(void)
{
        return syscall(SYS_kexec_load, 0, 0, NULL, 0);
}
static int p_init_module(void)
{
        return syscall(SYS_init_module, NULL, 0, "");
}
static int p_finit_module(void)
{
        return syscall(SYS_finit_module, -1, "", 0);
}
static int p_delete_module(void)
{
        return syscall(SYS_delete_module, "hr_probe_none", 0);
}
static int p_ptrace(void)
{
        return TRY(ptrace(PTRACE_TRACEME, 0, NULL, NULL));
}
static int p_process_vm_readv(void)
{
        char a[4], b[4] = "abc";
        struct iovec l = {a, 4}, r = {b, 4};
        return TRY(process_vm_readv(getpid(), &l, 1, &r, 1, 0));
}
static int p_socket_alg(void)
{
        return sock(38 /* AF_ALG */, SOCK_SEQPACKET, 0);
}
static int p_socket_vsock(void)
{
        return sock(40 /* AF_VSOCK */, SOCK_STREAM, 0);
}
static int p_setns(void)
{
        int fd = open("/proc/self/ns/net", O_RDONLY);
        return fd < 0 ? -1 : setns(fd, 0);
}
static int p_name_to_handle_at(void)
{
        char h[136] = {0};
        int mnt;
        *(unsigned *)h = 128;
        return syscall(SYS_name_to_handle_at, AT_FDCWD, "/tmp", h, &mnt, 0);
}
static int p_open_by_handle_at(void)
{
        char h[136] = {0};
        return syscall(SYS_open_by_handle_at, AT_FDCWD, h, O_RDONLY);
}
static int p_syslog(void)
{
        return syscall(SYS_syslog, 10 /* SIZE_BUFFER */, NULL, 0);
}
static int p_personality_rie(void)
{
        return syscall(SYS_personality, 0x0400000 /* READ_IMPLIES_EXEC */);
}
static int p_swapon(void)
{
        return syscall(SYS_swapon, NOWHERE, 0);
}
static int p_reboot(void)
{
        return syscall(SYS_reboot, 0, 0, 0, NULL);
}
static int p_settimeofday(void)
{
        return syscall(SYS_settimeofday, NULL, NULL);
}
static int p_acct(void)
{
        return syscall(SYS_acct, NOWHERE);
}
static int p_quotactl(void)
{
        return syscall(SYS_quotactl, 0, NULL, 0, NULL);
}
static int p_fanotify_init(void)
{
        return syscall(SYS_fanotify_init, 0, 0);
}
static int p_pidfd_getfd(void)
{
        return syscall(SYS_pidfd_getfd, -1, 0, 0);
}
static int p_kcmp(void)
{
        return syscall(SYS_kcmp, getpid(), getpid(), 0, 0, 0);
}

/* A POSIX message queue, left for a container sharing the ipc namespace */
static int p_mq_create(void)
{
        mqd_t q = mq_open("/hr-probe", O_CREAT | O_RDWR, 0644, NULL);
        return q == (mqd_t)-1 ? -1 : mq_close(q);
}

static const struct {
        const char *name;
        int (*call)(void);
} probes[] = {
#define P(n)                                                                                       \
        {                                                                                          \
#n, p_##n                                                                          \
        }
    P(getpid),
    P(fork_exec),
    P(threads),
    P(mmap_mprotect),
    P(file_io),
    P(socket_inet),
    P(socket_inet6),
    P(socket_unix),
    P(socket_netlink_route),
    P(epoll),
    P(timerfd),
    P(eventfd),
    P(signalfd),
    P(inotify),
    P(unshare_user),
    P(clone_newuser),
    P(clone3),
    P(mount),
    P(umount),
    P(pivot_root),
    P(chroot),
    P(keyctl),
    P(add_key),
    P(request_key),
    P(bpf),
    P(perf_event_open),
    P(userfaultfd),
    P(io_uring_setup),
    P(kexec_load),
    P(init_module),
    P(finit_module),
    P(delete_module),
    P(ptrace),
    P(process_vm_readv),
    P(socket_alg),
    P(socket_vsock),
    P(setns),
    P(name_to_handle_at),
    P(open_by_handle_at),
    P(syslog),
    P(personality_rie),
    P(swapon),
    P(reboot),
    P(settimeofday),
    P(acct),
    P(quotactl),
    P(fanotify_init),
    P(pidfd_getfd),
    P(kcmp),
    P(mq_create),
#undef P
};

/* Run one probe in a child; its exit status carries the errno. */
static void run(size_t i)
{
        int st;
        pid_t pid = fork();
        if (pid == 0) {
                errno = 0;
                _exit(probes[i].call() < 0 ? (errno ? errno : 255) : 0);
        }
        if (pid < 0 || waitpid(pid, &st, 0) < 0) {
                printf("%s: probe failed\n", probes[i].name);
                return;
        }
        if (!WIFEXITED(st))
                printf("%s: killed by signal %d\n", probes[i].name, WTERMSIG(st));
        else if (WEXITSTATUS(st) == 0)
                printf("%s: ok\n", probes[i].name);
        else
                printf("%s: %s\n", probes[i].name,
                       strerrorname_np(WEXITSTATUS(st)) ? strerrorname_np(WEXITSTATUS(st)) : "?");
}

int main(int argc, char **argv)
{
        setvbuf(stdout, NULL, _IOLBF, 0);
        /* some probes would change a host: only inside a test container */
        if (getenv("HR_PROBE_IN_CONTAINER") == NULL) {
                fprintf(
                    stderr,
                    "hr-probe: set HR_PROBE_IN_CONTAINER=1; run me only inside a test container\n");
                return 2;
        }
        for (int a = 1; a < argc; a++) {
                int found = 0;
                for (size_t i = 0; i < sizeof(probes) / sizeof(*probes); i++) {
                        if (strcmp(argv[a], "all") != 0 && strcmp(argv[a], probes[i].name) != 0)
                                continue;
                        found = 1;
                        run(i);
                }
                if (!found)
                        printf("%s: unknown probe\n", argv[a]);
        }
        return 0;
}
