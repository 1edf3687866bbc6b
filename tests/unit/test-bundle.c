// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "cleanup.h"
#include "harden.h"
#include "helpers.h"
#include "policy.h"

static char *dir;
static int dirfd_;

static void setup(void)
{
        dir = make_temp_dir();
        dirfd_ = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cr_assert_geq(dirfd_, 0);
}

static void teardown(void)
{
        close(dirfd_);
        rm_tree(dir);
        free(dir);
}

static char *path_in(const char *name)
{
        char *p;
        cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
        return p;
}

static void expect_read_refused(const char *name, const char *msg)
{
        struct hr_error err = {0};
        char *buf = NULL;
        size_t len;
        cr_assert_eq(file_read_at(dirfd_, name, JSON_MAX_SIZE, &buf, &len, NULL, &err), -1);
        cr_assert(strstr(hr_error_msg(&err), msg) != NULL, "\"%s\" lacks \"%s\"",
                  hr_error_msg(&err), msg);
        hr_error_clear(&err);
}

TestSuite(bundle, .init = setup, .fini = teardown);

Test(bundle, reads_a_regular_file)
{
        cleanup_free char *p = path_in("config.json");
        struct hr_error err = {0};
        cleanup_free char *buf = NULL;
        size_t len;
        write_file(p, "{}", 2, 0644);
        cr_assert_eq(file_read_at(dirfd_, "config.json", JSON_MAX_SIZE, &buf, &len, NULL, &err), 0);
        cr_assert_eq(len, 2);
        cr_assert_str_eq(buf, "{}");
}

Test(bundle, refuses_symlinks_fifos_directories_and_big_files)
{
        cleanup_free char *target = path_in("real.json");
        cleanup_free char *link = path_in("link.json");
        cleanup_free char *fifo = path_in("fifo.json");
        cleanup_free char *sub = path_in("sub.json");
        cleanup_free char *big = path_in("big.json");
        int fd;
        write_file(target, "{}", 2, 0644);
        cr_assert_eq(symlink(target, link), 0);
        cr_assert_eq(mkfifo(fifo, 0600), 0);
        cr_assert_eq(mkdir(sub, 0700), 0);
        fd = open(big, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        cr_assert_eq(ftruncate(fd, JSON_MAX_SIZE + 1), 0);
        close(fd);
        expect_read_refused("link.json", "symbolic link");
        expect_read_refused("fifo.json", "not a regular file");
        expect_read_refused("sub.json", "not a regular file");
        expect_read_refused("big.json", "over the");
        expect_read_refused("missing.json", "No such file");
}

Test(bundle, replace_keeps_mode_and_leaves_no_temporary_file)
{
        cleanup_free char *p = path_in("config.json");
        struct hr_error err = {0};
        struct stat st, after;
        DIR *d;
        struct dirent *e;
        int entries = 0;
        write_file(p, "{\"old\":1}", 9, 0640);
        cr_assert_eq(stat(p, &st), 0);
        cr_assert_eq(file_replace_at(dirfd_, "config.json", "{\"new\":2}", 9, &st, &err), 0, "%s",
                     hr_error_msg(&err));
        cr_assert_eq(stat(p, &after), 0);
        cr_assert_eq(after.st_mode & 07777, 0640);
        cr_assert_neq(after.st_ino, st.st_ino, "replaced by rename, not rewritten in place");
        cleanup_free char *text = slurp(p, NULL);
        cr_assert_str_eq(text, "{\"new\":2}");
        d = opendir(dir);
        while ((e = readdir(d)) != NULL)
                entries += e->d_name[0] != '.' || strlen(e->d_name) > 2;
        closedir(d);
        cr_assert_eq(entries, 1, "a temporary file was left behind");
}

/* kill -9 at a random point of a stream of replacements: the file is always
 * exactly the old or the new document, never a mix or a truncation. */
Test(bundle, kill_9_mid_write_leaves_old_or_new, .timeout = 240)
{
        cleanup_free char *p = path_in("config.json");
        size_t n = 1024 * 1024;
        char *a = malloc(n), *b = malloc(n);
        struct stat st;
        memset(a, 'a', n);
        memset(b, 'b', n);
        write_file(p, a, n, 0644);
        cr_assert_eq(stat(p, &st), 0);
        srand((unsigned)time(NULL));
        for (int round = 0; round < 60; round++) {
                pid_t pid = fork();
                cr_assert_geq(pid, 0);
                if (pid == 0) {
                        struct hr_error err = {0};
                        for (int i = 0;; i++)
                                if (file_replace_at(dirfd_, "config.json", i % 2 ? a : b, n, &st,
                                                    &err) < 0)
                                        _exit(3);
                }
                struct timespec ts = {0, (long)(rand() % 20000) * 1000};
                nanosleep(&ts, NULL);
                kill(pid, SIGKILL);
                int status;
                cr_assert_eq(waitpid(pid, &status, 0), pid);
                cr_assert(WIFSIGNALED(status), "writer failed on its own: status %d", status);
                size_t len;
                char *got = slurp(p, &len);
                cr_assert_eq(len, n, "round %d: size %zu", round, len);
                cr_assert(memcmp(got, a, n) == 0 || memcmp(got, b, n) == 0,
                          "round %d: mixed content", round);
                free(got);
        }
        free(a);
        free(b);
}

static char *setup_bundle(const char *config)
{
        cleanup_free char *p = path_in("config.json");
        cleanup_free char *rootfs = path_in("rootfs");
        write_file(p, config, strlen(config), 0600);
        cr_assert(mkdir(rootfs, 0755) == 0 || errno == EEXIST);
        return strdup(dir);
}

#define NAMESPACES                                                                                 \
        "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},{\"type\":"  \
        "\"uts\"},"                                                                                \
        "{\"type\":\"mount\"}],\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}"

static struct hr_config cfg = {.default_profile = "restricted", .profile_dir = "/nonexistent"};

Test(bundle, refusal_leaves_config_byte_identical)
{
        static const char *bad[] = {
            "{\"root\":\"not-an-object\"}",
            "{\"process\":{\"noNewPrivileges\":true,\"NoNewPrivileges\":false}}",
            "{\"mounts\":{}}",
            "[1,2]",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                cleanup_free char *b = setup_bundle(bad[i]);
                cleanup_free char *p = path_in("config.json");
                struct stat before, after;
                struct hr_error err = {0};
                struct harden_request req = {"create",    b,      "c1", NULL, &cfg,
                                             DRY_RUN_OFF, stdout, NULL, NULL, NULL};
                cr_assert_eq(stat(p, &before), 0);
                cr_assert_eq(harden_bundle(&req, &err), -1, "accepted %s", bad[i]);
                cr_assert(strstr(hr_error_msg(&err), "config.json") != NULL, "%s",
                          hr_error_msg(&err));
                cr_assert_eq(stat(p, &after), 0);
                cr_assert_eq(before.st_ino, after.st_ino);
                cleanup_free char *text = slurp(p, NULL);
                cr_assert_str_eq(text, bad[i]);
                hr_error_clear(&err);
        }
}

Test(bundle, dry_run_touches_nothing)
{
        const char *spec = "{\"process\":{\"args\":[\"true\"]},\"root\":{\"path\":\"rootfs\"},"
                           "\"linux\":{" NAMESPACES "}}";
        cleanup_free char *b = setup_bundle(spec);
        cleanup_free char *p = path_in("config.json");
        struct hr_error err = {0};
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        struct harden_request req = {
            "create", b, "c1", "/nonexistent/none.json", &cfg, DRY_RUN_SPEC, f, NULL, NULL, NULL};
        /* the profile must exist: a bad --profile refuses, even in a dry run */
        cr_assert_eq(harden_bundle(&req, &err), -1);
        hr_error_clear(&err);
        req.profile = NULL;
        cr_assert_eq(harden_bundle(&req, &err), 0, "%s", hr_error_msg(&err));
        fclose(f);
        cr_assert(strstr(out, "\"noNewPrivileges\": true") != NULL, "%s", out);
        cleanup_free char *text = slurp(p, NULL);
        cr_assert_str_eq(text, spec);
        free(out);
}

Test(bundle, annotation_picks_only_an_allowed_profile)
{
        const char *spec = "{\"annotations\":{\"org.hardened-runc.profile\":\"baseline\"},"
                           "\"process\":{\"args\":[\"true\"]},\"root\":{\"path\":\"rootfs\"},"
                           "\"linux\":{" NAMESPACES "}}";
        cleanup_free char *b = setup_bundle(spec);
        struct hr_error err = {0};
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        struct harden_request req = {"create",       b, "c1", NULL, &cfg,
                                     DRY_RUN_REPORT, f, NULL, NULL, NULL};
        char *allowed[] = {"baseline"};
        cr_assert_eq(harden_bundle(&req, &err), -1);
        cr_assert(strstr(hr_error_msg(&err),
                         "asks for profile baseline, which the admin config does not allow") !=
                      NULL,
                  "%s", hr_error_msg(&err));
        hr_error_clear(&err);
        struct hr_config with = cfg;
        with.annotation_profiles.v = allowed;
        with.annotation_profiles.n = 1;
        req.cfg = &with;
        cr_assert_eq(harden_bundle(&req, &err), 0, "%s", hr_error_msg(&err));
        fclose(f);
        /* baseline leaves the user alone; restricted would have changed it */
        cr_assert_null(strstr(out, "user: changed"), "%s", out);
        cr_assert_not_null(strstr(out, "nnp: changed"), "%s", out);
        free(out);
}
