/*
 * Executing one run: the emulator (and arm83emu-trace for the exit summary)
 * as child processes, their outputs parsed into result.json. Nothing of the
 * host (time, host name, pid) enters result.json: the same run gives the same
 * bytes locally and on a Slurm node.
 */
/* Paths are bounded: main() refuses an output directory longer than
 * SWEEP_MAX_OUT_LEN, so the fixed PATH_MAX buffers below cannot truncate. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#define _GNU_SOURCE 1   /* pipe2 */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int mkdirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) { errno = ENAMETOOLONG; return -1; }
    for (char *c = buf + 1; *c; c++)
        if (*c == '/') {
            *c = '\0';
            if (mkdir(buf, 0777) && errno != EEXIST) return -1;
            *c = '/';
        }
    if (mkdir(buf, 0777) && errno != EEXIST) return -1;
    return 0;
}

static void rm_rf(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char p[PATH_MAX];
            snprintf(p, sizeof p, "%s/%s", path, e->d_name);
            struct stat st;
            if (!lstat(p, &st) && S_ISDIR(st.st_mode)) rm_rf(p);
            else unlink(p);
        }
        closedir(d);
        rmdir(path);
    }
}

/* The host name as it appears in temporary directory names: '/' and '-'
 * (the separator) become '_'. */
static void host_name(char *host, size_t n)
{
    memset(host, 0, n);
    gethostname(host, n - 1);
    for (char *c = host; *c; c++)
        if (*c == '/' || *c == '-') *c = '_';
}

void run_clean_stale(const char *out)
{
    char dir[PATH_MAX], host[128], prefix[200];
    snprintf(dir, sizeof dir, "%s/runs", out);
    host_name(host, sizeof host);
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        /* .tmp-<16 hex id>-<host>-<pid> */
        if (strncmp(e->d_name, ".tmp-", 5) || strlen(e->d_name) < 5 + 17) continue;
        snprintf(prefix, sizeof prefix, "%s-", host);
        const char *rest = e->d_name + 5 + 17;
        if (strncmp(rest, prefix, strlen(prefix))) continue;
        long pid = strtol(rest + strlen(prefix), NULL, 10);
        if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM)) continue;
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        rm_rf(p);
    }
    closedir(d);
}

struct json_object *run_result(const char *out, const SweepRun *r)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/runs/%s/result.json", out, r->id);
    if (access(p, R_OK)) return NULL;
    return json_object_from_file(p);
}

/* Spawns argv with stdout/stderr to files in CWD_DIR; returns the wait status,
 * or -1 with errno when it could not be started (exec failure included,
 * reported through a close-on-exec pipe). timeout (s) > 0 arms an alarm
 * that survives exec: SIGALRM ends the program. */
static int spawn(char **argv, const char *cwd_dir, const char *out_name, const char *err_name, unsigned timeout)
{
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC)) return -1;
    pid_t pid = fork();
    if (pid < 0) { close(pfd[0]); close(pfd[1]); return -1; }
    if (pid == 0) {
        close(pfd[0]);
        int e = 0;
        if (chdir(cwd_dir)) e = errno;
        int in = open("/dev/null", O_RDONLY);
        int o = open(out_name, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        int er = open(err_name, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (!e && (in < 0 || o < 0 || er < 0)) e = errno;
        if (!e) {
            dup2(in, 0); dup2(o, 1); dup2(er, 2);
            close(in); close(o); close(er);
            signal(SIGALRM, SIG_DFL);
            if (timeout) alarm(timeout);
            execvp(argv[0], argv);
            e = errno;
        }
        if (write(pfd[1], &e, sizeof e) < 0) { /* nothing more to say */ }
        _exit(127);
    }
    close(pfd[1]);
    int e = 0;
    ssize_t n;
    while ((n = read(pfd[0], &e, sizeof e)) < 0 && errno == EINTR) ;
    close(pfd[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    if (n == (ssize_t)sizeof e) { errno = e; return -1; }
    return st;
}

/* Per-cause totals from arm83emu-trace --csv (columns found by header name,
 * so columns added by later trace versions do not matter). */
typedef struct Cause {
    char *name;
    uint64_t exits, returned, cycles, part[5];
} Cause;
static const char *const part_names[5] = { "el2", "host_kernel", "host_user", "other", "idle" };

static int split_csv(char *line, char **f, int max)
{
    int n = 0;
    char *c = line;
    while (n < max) {
        if (*c == '"') {
            char *w = ++c;
            f[n++] = w;
            while (*c) {
                if (*c == '"' && c[1] == '"') { *w++ = '"'; c += 2; }
                else if (*c == '"') { c++; break; }
                else *w++ = *c++;
            }
            *w = '\0';
            /* c is at the separator (or end) */
            if (*c == ',') c++;
            else break;
        } else {
            f[n++] = c;
            char *e = strchr(c, ',');
            if (!e) break;
            *e = '\0';
            c = e + 1;
        }
    }
    return n;
}

static int cmp_cause(const void *a, const void *b)
{
    return strcmp(((const Cause *)a)->name, ((const Cause *)b)->name);
}

static int read_causes(const char *csv, Cause **out, size_t *nout)
{
    FILE *f = fopen(csv, "r");
    if (!f) return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int col_cause = -1, col_ret = -1, col_cyc = -1, col_part[5] = { -1, -1, -1, -1, -1 };
    Cause *c = NULL;
    size_t n = 0;
    char *fld[64];
    bool header = true;
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        int nf = split_csv(line, fld, 64);
        if (header) {
            for (int i = 0; i < nf; i++) {
                if (!strcmp(fld[i], "cause")) col_cause = i;
                else if (!strcmp(fld[i], "returned")) col_ret = i;
                else if (!strcmp(fld[i], "cycles")) col_cyc = i;
                for (int k = 0; k < 5; k++)
                    if (!strcmp(fld[i], part_names[k])) col_part[k] = i;
            }
            header = false;
            if (col_cause < 0 || col_cyc < 0 || col_ret < 0) { free(line); fclose(f); return -1; }
            continue;
        }
        if (nf <= col_cause || nf <= col_cyc || nf <= col_ret) continue;
        size_t i;
        for (i = 0; i < n; i++)
            if (!strcmp(c[i].name, fld[col_cause])) break;
        if (i == n) {
            c = realloc(c, (n + 1) * sizeof *c);
            if (!c) { perror("arm83emu-sweep"); exit(2); }
            memset(&c[n], 0, sizeof *c);
            c[n++].name = strdup(fld[col_cause]);
        }
        c[i].exits++;
        c[i].returned += strtoull(fld[col_ret], NULL, 10) != 0;
        c[i].cycles += strtoull(fld[col_cyc], NULL, 10);
        for (int k = 0; k < 5; k++)
            if (col_part[k] >= 0 && col_part[k] < nf) c[i].part[k] += strtoull(fld[col_part[k]], NULL, 10);
    }
    free(line);
    fclose(f);
    if (n) qsort(c, n, sizeof *c, cmp_cause);
    *out = c;
    *nout = n;
    return 0;
}

int run_one(const SweepSpec *s, size_t index, const char *out)
{
    const SweepRun *r = &s->runs[index];
    char final[PATH_MAX], tmp[PATH_MAX], host[128] = "", p[PATH_MAX];
    snprintf(final, sizeof final, "%s/runs/%s", out, r->id);
    snprintf(p, sizeof p, "%s/result.json", final);
    if (!access(p, F_OK)) {
        json_object *o = json_object_from_file(p);
        if (o) { json_object_put(o); return RUN_SKIPPED; }
        /* Damaged after the fact (result.json is complete before the
         * directory gets its name): run it again. */
        fprintf(stderr, "arm83emu-sweep: %s: not valid JSON; running %s again\n", p, r->id);
        rm_rf(final);
    }
    host_name(host, sizeof host);
    snprintf(tmp, sizeof tmp, "%s/runs/.tmp-%s-%s-%ld", out, r->id, host, (long)getpid());
    rm_rf(tmp);
    if (mkdirs(tmp)) {
        fprintf(stderr, "arm83emu-sweep: %s: %s\n", tmp, strerror(errno));
        return RUN_ERROR;
    }
    char trace[PATH_MAX];
    snprintf(trace, sizeof trace, "%s/exits.trace", tmp);
    char **argv = spec_argv(s, r, tmp, trace);
    if (!argv) { fprintf(stderr, "arm83emu-sweep: run %s: bad command\n", r->id); rm_rf(tmp); return RUN_ERROR; }
    /* cmdline.txt: what was run, for a user re-running it by hand. */
    snprintf(p, sizeof p, "%s/cmdline.txt", tmp);
    FILE *f = fopen(p, "w");
    if (f) {
        for (char **a = argv; *a; a++) fprintf(f, "%s%s", a == argv ? "" : " ", *a);
        fputc('\n', f);
        fclose(f);
    }
    int st = spawn(argv, tmp, "console.txt", "stderr.txt", s->timeout);
    spec_argv_free(argv);
    if (st < 0) {
        /* A host problem (no emulator, no permission): nothing recorded, a
         * later run retries. */
        fprintf(stderr, "arm83emu-sweep: run %s: cannot start %s: %s\n", r->id, s->emulator, strerror(errno));
        rm_rf(tmp);
        return RUN_ERROR;
    }

    json_object *res = json_object_new_object();
    json_object_object_add(res, "id", json_object_new_string(r->id));
    json_object_object_add(res, "repeat", json_object_new_int((int)r->repeat));
    json_object *params = json_object_new_object();
    for (unsigned i = 0; i < s->nparams; i++)
        json_object_object_add(params, s->params[i].name, json_object_new_string(r->values[i]));
    json_object_object_add(res, "params", params);
    const char *reason = NULL;
    char rbuf[200];
    int code = -1;
    bool expected130 = false;
    for (unsigned i = 0; i < s->nexpect; i++) expected130 |= s->expect_status[i] == 130;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 130 && !expected130) {
        /* arm83emu exits 130 on SIGINT/SIGTERM: the run was interrupted
         * from outside (Ctrl-C, scancel), not finished. Record nothing. */
        fprintf(stderr, "arm83emu-sweep: run %s: interrupted\n", r->id);
        rm_rf(tmp);
        json_object_put(res);
        return RUN_ERROR;
    }
    if (WIFEXITED(st)) {
        code = WEXITSTATUS(st);
        bool ok = false;
        for (unsigned i = 0; i < s->nexpect; i++) ok |= s->expect_status[i] == code;
        if (!ok && !reason) { snprintf(rbuf, sizeof rbuf, "exit status %d not expected", code); reason = rbuf; }
    } else if (WIFSIGNALED(st)) {
        if (WTERMSIG(st) == SIGALRM) snprintf(rbuf, sizeof rbuf, "timeout (%u s)", s->timeout);
        else snprintf(rbuf, sizeof rbuf, "killed by signal %d", WTERMSIG(st));
        reason = rbuf;
        /* Killed from outside (the sweep interrupted): record nothing. */
        if (WTERMSIG(st) != SIGALRM) { rm_rf(tmp); json_object_put(res); return RUN_ERROR; }
    }
    json_object_object_add(res, "exit_code", json_object_new_int(code));

    /* stderr.txt: "...: digest console=X exit-trace=Y", "...: cpuN: A instructions, B cycles" */
    uint64_t insns = 0, cycles = 0;
    char dc[32] = "", dt[32] = "";
    bool got_stats = false;
    snprintf(p, sizeof p, "%s/stderr.txt", tmp);
    f = fopen(p, "r");
    if (f) {
        char line[1024];
        while (fgets(line, sizeof line, f)) {
            char *q;
            unsigned long long a, b;
            unsigned cpu;
            if ((q = strstr(line, ": digest console=")))
                sscanf(q, ": digest console=%31s exit-trace=%31s", dc, dt);
            else if ((q = strstr(line, ": cpu")) && sscanf(q, ": cpu%u: %llu instructions, %llu cycles", &cpu, &a, &b) == 3) {
                insns += a;
                cycles += b;
                got_stats = true;
            }
        }
        fclose(f);
    }
    if (s->collect_stats) {
        if (!got_stats && !reason) reason = "no --stats output";
        json_object_object_add(res, "instructions", json_object_new_uint64(insns));
        json_object_object_add(res, "cpu_cycles", json_object_new_uint64(cycles));
    }
    if (s->collect_digest) {
        if (!dc[0] && !reason) reason = "no --digest output";
        json_object_object_add(res, "digest_console", json_object_new_string(dc));
        json_object_object_add(res, "digest_exits", json_object_new_string(dt));
    }
    if (s->collect_exits) {
        json_object *ca = json_object_new_array();
        char csv[PATH_MAX];
        snprintf(csv, sizeof csv, "%s/exits.csv", tmp);
        char *targv[] = { s->trace_tool, trace, "--quiet", "--csv", csv, NULL };
        Cause *c = NULL;
        size_t n = 0;
        int ts = access(trace, R_OK) ? -1 : spawn(targv, tmp, "trace.txt", "trace.txt", s->timeout);
        if (ts < 0 || !WIFEXITED(ts) || WEXITSTATUS(ts) != 0 || read_causes(csv, &c, &n)) {
            if (!reason) reason = "arm83emu-trace failed on the exit trace (see trace.txt)";
        }
        for (size_t i = 0; i < n; i++) {
            bool want = !s->ncauses;
            for (unsigned k = 0; k < s->ncauses; k++) want |= !strcmp(s->causes[k], c[i].name);
            if (want) {
                json_object *o = json_object_new_object();
                json_object_object_add(o, "cause", json_object_new_string(c[i].name));
                json_object_object_add(o, "exits", json_object_new_uint64(c[i].exits));
                json_object_object_add(o, "returned", json_object_new_uint64(c[i].returned));
                json_object_object_add(o, "cycles", json_object_new_uint64(c[i].cycles));
                for (int k = 0; k < 5; k++)
                    json_object_object_add(o, part_names[k], json_object_new_uint64(c[i].part[k]));
                json_object_array_add(ca, o);
            }
            free(c[i].name);
        }
        free(c);
        json_object_object_add(res, "causes", ca);
        unlink(trace);   /* large; exits.csv keeps every exit */
    }
    json_object_object_add(res, "status", json_object_new_string(reason ? "failed" : "ok"));
    json_object_object_add(res, "reason", json_object_new_string(reason ? reason : ""));

    snprintf(p, sizeof p, "%s/result.json", tmp);
    const char *txt = json_object_to_json_string_ext(res, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    f = fopen(p, "w");
    bool okw = f && fputs(txt, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f)) okw = false;
    int rc = reason ? RUN_FAILED : RUN_OK;
    json_object_put(res);
    if (!okw) { fprintf(stderr, "arm83emu-sweep: run %s: cannot write %s\n", r->id, p); rm_rf(tmp); return RUN_ERROR; }
    /* Completion is this rename: a directory named by the id always holds
     * a complete result.json. Another worker (a Slurm task re-run) may have
     * finished the same run first: keep its result. */
    if (rename(tmp, final)) {
        if (errno == EEXIST || errno == ENOTEMPTY) {
            snprintf(p, sizeof p, "%s/result.json", final);
            if (access(p, F_OK)) {
                /* A leftover without result: replace it. */
                rm_rf(final);
                if (!rename(tmp, final)) return rc;
            }
            rm_rf(tmp);
            return RUN_SKIPPED;
        }
        fprintf(stderr, "arm83emu-sweep: rename %s: %s\n", tmp, strerror(errno));
        rm_rf(tmp);
        return RUN_ERROR;
    }
    return rc;
}
