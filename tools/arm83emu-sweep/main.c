/*
 * arm83emu-sweep: experiment sweeps (docs/sweeps.md). An experiment file
 * (INI) names a command-line template and parameter values; the sweep
 * expands them into runs with stable ids and runs them locally on N host
 * cores, resumably, or as a Slurm job array; collect merges the results into
 * one CSV / JSON Lines table; plot draws a metric against a parameter.
 *
 * usage: arm83emu-sweep run FILE [-j N] [--out DIR] [--retry-failed]
 *        arm83emu-sweep run-one FILE --index I [--out DIR]
 *        arm83emu-sweep status FILE [--out DIR]
 *        arm83emu-sweep list FILE
 *        arm83emu-sweep collect FILE [--out DIR] [--csv F] [--jsonl F]
 *        arm83emu-sweep plot FILE [--out DIR] --x P [--series P] [--cause C] [--metric M]
 *                                 [--where P=V]... -o OUT.svg|OUT.png
 *        arm83emu-sweep slurm FILE [--out DIR] [--max-parallel K] [--sbatch-option OPT]... [--submit]
 * Exit status: 0 all good, 1 some run failed / not finished, 2 usage or invalid file, 130 interrupted.
 */
/* Paths are bounded: main() refuses an output directory longer than
 * SWEEP_MAX_OUT_LEN, so the fixed PATH_MAX buffers below cannot truncate. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#define _GNU_SOURCE 1   /* sched_getaffinity, CPU_COUNT */
#include <errno.h>
#include <json-c/json.h>
#include <sched.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collect.h"
#include "run.h"
#include "spec.h"

static void usage(void)
{
    fprintf(stderr,
            "usage: arm83emu-sweep run FILE [-j N] [--out DIR] [--retry-failed]\n"
            "       arm83emu-sweep run-one FILE --index I [--out DIR]\n"
            "       arm83emu-sweep status FILE [--out DIR]\n"
            "       arm83emu-sweep list FILE\n"
            "       arm83emu-sweep collect FILE [--out DIR] [--csv F] [--jsonl F]\n"
            "       arm83emu-sweep plot FILE [--out DIR] --x PARAM [--series PARAM] [--cause CAUSE]\n"
            "                      [--metric M] [--where PARAM=VALUE]... -o OUT.svg|OUT.png\n"
            "       arm83emu-sweep slurm FILE [--out DIR] [--max-parallel K] [--sbatch-option OPT]... [--submit]\n"
            "DIR defaults to FILE without its extension, plus .sweep (next to FILE).\n");
}

static volatile sig_atomic_t interrupted;
static void on_signal(int sig) { interrupted = sig; }

static char self_dir[PATH_MAX];
static char self_exe[PATH_MAX];

static void find_self(const char *argv0)
{
    ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
    if (n > 0) self_exe[n] = '\0';
    else if (!realpath(argv0, self_exe)) snprintf(self_exe, sizeof self_exe, "%s", argv0);
    snprintf(self_dir, sizeof self_dir, "%s", self_exe);
    char *sl = strrchr(self_dir, '/');
    if (sl) *sl = '\0';
    else strcpy(self_dir, ".");
}

static char *default_out(const char *file)
{
    static char out[PATH_MAX];
    snprintf(out, sizeof out, "%s", file);
    char *sl = strrchr(out, '/'), *dot = strrchr(out, '.');
    if (dot && (!sl || dot > sl + 1)) *dot = '\0';
    strncat(out, ".sweep", sizeof out - strlen(out) - 1);
    return out;
}

static char *absolute(const char *p)
{
    static char buf[PATH_MAX];
    if (p[0] == '/') { snprintf(buf, sizeof buf, "%s", p); return buf; }
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) { perror("getcwd"); exit(2); }
    snprintf(buf, sizeof buf, "%s/%s", cwd, p);
    return buf;
}

static bool parse_count(const char *v, unsigned long max, unsigned long *out)
{
    char *e;
    errno = 0;
    if (*v < '0' || *v > '9') return false;
    unsigned long x = strtoul(v, &e, 10);
    if (errno || *e || x > max) return false;
    *out = x;
    return true;
}

static void fmt_dur(char *b, size_t n, double s)
{
    if (s < 0) { snprintf(b, n, "--:--"); return; }
    unsigned long t = (unsigned long)(s + 0.5);
    if (t >= 3600) snprintf(b, n, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
    else snprintf(b, n, "%02lu:%02lu", t / 60, t % 60);
}

/* The progress line: host time is used for the ETA only, never in results. */
static void progress(const char *name, size_t done, size_t failed, size_t total, size_t running,
                     struct timespec *t0, size_t done_here, bool final)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double el = (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
    double eta = done_here ? el / (double)done_here * (double)(total - done) : -1;
    char e[32], t[32];
    fmt_dur(e, sizeof e, final ? 0 : eta);
    fmt_dur(t, sizeof t, el);
    bool tty = isatty(2);
    char bar[24];
    unsigned fill = total ? (unsigned)(done * 20 / total) : 20;
    for (unsigned i = 0; i < 20; i++) bar[i] = i < fill ? '#' : '.';
    bar[20] = '\0';
    fprintf(stderr, "%ssweep %s: [%s] %zu/%zu done, %zu failed, %zu running, elapsed %s, ETA %s%s", tty ? "\r\033[K" : "",
            name, bar, done, total, failed, running, t, e, tty && !final ? "" : "\n");
    fflush(stderr);
}

typedef struct Slot { pid_t pid; size_t index; } Slot;

static int cmd_run(SweepSpec *s, const char *out, unsigned long jobs, bool retry_failed)
{
    if (mkdirs(out)) { fprintf(stderr, "arm83emu-sweep: %s: %s\n", out, strerror(errno)); return 2; }
    run_clean_stale(out);
    size_t total = s->nruns, done = 0, failed = 0, todo_n = 0;
    size_t *todo = malloc((total + 1) * sizeof *todo);
    if (!todo) { perror("arm83emu-sweep"); return 2; }
    for (size_t i = 0; i < total; i++) {
        json_object *r = run_result(out, &s->runs[i]);
        if (r) {
            json_object *st;
            bool ok = json_object_object_get_ex(r, "status", &st) && !strcmp(json_object_get_string(st), "ok");
            json_object_put(r);
            if (ok || !retry_failed) {
                done++;
                failed += !ok;
                continue;
            }
            char p[PATH_MAX], q[PATH_MAX];
            snprintf(p, sizeof p, "%s/runs/%s/result.json", out, s->runs[i].id);
            snprintf(q, sizeof q, "%s/runs/%s", out, s->runs[i].id);
            /* A failed run to retry: its directory is moved aside (deleted) */
            char aside[PATH_MAX];
            snprintf(aside, sizeof aside, "%s/runs/.tmp-%s-retry-%ld", out, s->runs[i].id, (long)getpid());
            if (rename(q, aside)) { fprintf(stderr, "arm83emu-sweep: %s: %s\n", q, strerror(errno)); free(todo); return 2; }
            char *rm[] = { "rm", "-rf", aside, NULL };
            pid_t pid = fork();
            if (pid == 0) { execvp("rm", rm); _exit(127); }
            if (pid > 0) waitpid(pid, NULL, 0);
        }
        todo[todo_n++] = i;
    }
    if (done) fprintf(stderr, "sweep %s: %zu of %zu runs already finished, skipped\n", s->name, done, total);
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    Slot *slots = calloc(jobs, sizeof *slots);
    if (!slots) { perror("arm83emu-sweep"); free(todo); return 2; }
    size_t next = 0, running = 0, done_here = 0, errors = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    progress(s->name, done, failed, total, 0, &t0, 0, false);
    while ((next < todo_n || running) && !interrupted) {
        while (running < jobs && next < todo_n && !interrupted) {
            unsigned k;
            for (k = 0; k < jobs && slots[k].pid; k++) ;
            size_t idx = todo[next++];
            fflush(NULL);
            pid_t pid = fork();
            if (pid < 0) { perror("fork"); interrupted = SIGTERM; break; }
            if (pid == 0) {
                /* A worker in its own process group (with its emulator), so
                 * that the sweep can stop it as a whole. */
                setpgid(0, 0);
                signal(SIGINT, SIG_DFL);
                signal(SIGTERM, SIG_DFL);
                signal(SIGHUP, SIG_DFL);
                _exit(run_one(s, idx, out));
            }
            setpgid(pid, pid);
            slots[k].pid = pid;
            slots[k].index = idx;
            running++;
        }
        int st;
        pid_t pid = waitpid(-1, &st, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (unsigned k = 0; k < jobs; k++)
            if (slots[k].pid == pid) {
                slots[k].pid = 0;
                running--;
                int rc = WIFEXITED(st) ? WEXITSTATUS(st) : RUN_ERROR;
                if (rc == RUN_ERROR) errors++;
                else {
                    done++;
                    done_here++;
                    failed += rc == RUN_FAILED;
                    if (rc == RUN_FAILED)
                        fprintf(stderr, "%ssweep %s: run %s failed (see %s/runs/%s)\n", isatty(2) ? "\r\033[K" : "",
                                s->name, s->runs[slots[k].index].id, out, s->runs[slots[k].index].id);
                }
                progress(s->name, done, failed, total, running, &t0, done_here, false);
            }
    }
    if (interrupted) {
        for (unsigned k = 0; k < jobs; k++)
            if (slots[k].pid) kill(-slots[k].pid, SIGTERM);
        for (unsigned k = 0; k < jobs; k++)
            if (slots[k].pid) waitpid(slots[k].pid, NULL, 0);
        fprintf(stderr, "%ssweep %s: interrupted; %zu/%zu done; run the same command to continue\n",
                isatty(2) ? "\r\033[K" : "", s->name, done, total);
        free(slots);
        free(todo);
        return 130;
    }
    progress(s->name, done, failed, total, 0, &t0, done_here, true);
    free(slots);
    free(todo);
    if (errors) fprintf(stderr, "sweep %s: %zu run(s) could not be started\n", s->name, errors);
    return failed || errors || done < total ? 1 : 0;
}

static int cmd_status(SweepSpec *s, const char *out)
{
    size_t ok = 0, failed = 0, pending = 0;
    for (size_t i = 0; i < s->nruns; i++) {
        json_object *r = run_result(out, &s->runs[i]);
        if (!r) { pending++; continue; }
        json_object *st, *why;
        if (json_object_object_get_ex(r, "status", &st) && !strcmp(json_object_get_string(st), "ok")) ok++;
        else {
            failed++;
            json_object_object_get_ex(r, "reason", &why);
            printf("failed  %s  %s\n", s->runs[i].id, why ? json_object_get_string(why) : "?");
        }
        json_object_put(r);
    }
    printf("sweep %s: %zu runs: %zu ok, %zu failed, %zu not finished\n", s->name, s->nruns, ok, failed, pending);
    return failed || pending ? 1 : 0;
}

static int cmd_list(SweepSpec *s)
{
    printf("index\tid");
    for (unsigned i = 0; i < s->nparams; i++) printf("\t%s", s->params[i].name);
    printf("\trepeat\n");
    for (size_t i = 0; i < s->nruns; i++) {
        printf("%zu\t%s", i, s->runs[i].id);
        for (unsigned k = 0; k < s->nparams; k++) printf("\t%s", s->runs[i].values[k]);
        printf("\t%u\n", s->runs[i].repeat);
    }
    return 0;
}

/* Quotes for a POSIX shell: '...' with ' as '\''. */
static void shq(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'') fputs("'\\''", f);
        else fputc(*s, f);
    }
    fputc('\'', f);
}

static int cmd_slurm(SweepSpec *s, const char *file, const char *out, unsigned long maxpar, char **opts,
                     unsigned nopts, bool submit)
{
    char dir[PATH_MAX], script[PATH_MAX], absfile[PATH_MAX];
    snprintf(absfile, sizeof absfile, "%s", absolute(file));
    snprintf(dir, sizeof dir, "%s/slurm", out);
    if (mkdirs(dir) || mkdirs(out)) { fprintf(stderr, "arm83emu-sweep: %s: %s\n", dir, strerror(errno)); return 2; }
    snprintf(script, sizeof script, "%s/sweep.sbatch", dir);
    FILE *f = fopen(script, "w");
    if (!f) { fprintf(stderr, "arm83emu-sweep: %s: %s\n", script, strerror(errno)); return 2; }
    fprintf(f, "#!/bin/sh\n");
    fprintf(f, "# Written by arm83emu-sweep slurm: one array task per run (docs/sweeps.md).\n");
    fprintf(f, "#SBATCH --job-name=a83-%s\n", s->name);
    if (maxpar) fprintf(f, "#SBATCH --array=0-%zu%%%lu\n", s->nruns - 1, maxpar);
    else fprintf(f, "#SBATCH --array=0-%zu\n", s->nruns - 1);
    fprintf(f, "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n");
    fprintf(f, "#SBATCH --output=%s/%%A_%%a.out\n", dir);
    if (s->timeout) fprintf(f, "#SBATCH --time=%u\n", (s->timeout + 59) / 60 + 1);
    for (unsigned i = 0; i < nopts; i++) fprintf(f, "#SBATCH %s\n", opts[i]);
    fprintf(f, "exec ");
    shq(f, self_exe);
    fprintf(f, " run-one ");
    shq(f, absfile);
    fprintf(f, " --out ");
    shq(f, out);
    fprintf(f, " --index \"$SLURM_ARRAY_TASK_ID\"\n");
    if (fclose(f)) { fprintf(stderr, "arm83emu-sweep: %s: write error\n", script); return 2; }
    chmod(script, 0755);
    printf("%s\n", script);
    if (!submit) return 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("sbatch", "sbatch", "--parsable", script, (char *)NULL);
        fprintf(stderr, "arm83emu-sweep: cannot run sbatch: %s\n", strerror(errno));
        _exit(127);
    }
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
        fprintf(stderr, "arm83emu-sweep: sbatch failed\n");
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) { usage(); return 2; }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) { usage(); return 0; }
    static const char *const cmds[] = { "run", "run-one", "status", "list", "collect", "plot", "slurm" };
    bool known = false;
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) known |= !strcmp(cmd, cmds[i]);
    if (!known) { fprintf(stderr, "arm83emu-sweep: unknown command '%s'\n", cmd); usage(); return 2; }
    find_self(argv[0]);
    const char *file = NULL, *out = NULL, *csv = NULL, *jsonl = NULL, *plot_out = NULL;
    PlotOpts po = { 0 };
    /* Default -j: the CPUs this process may run on (a cpuset or a Slurm
     * allocation restricts them), else the online CPUs. */
    unsigned long jobs = (unsigned long)sysconf(_SC_NPROCESSORS_ONLN), index = 0, maxpar = 0;
    cpu_set_t cpus;
    if (!sched_getaffinity(0, sizeof cpus, &cpus) && CPU_COUNT(&cpus) > 0)
        jobs = (unsigned long)CPU_COUNT(&cpus);
    bool have_index = false, retry = false, submit = false;
    char *opts[32];
    unsigned nopts = 0;
    if (jobs < 1) jobs = 1;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEEDV() do { if (!v) { fprintf(stderr, "arm83emu-sweep: %s needs a value\n", a); return 2; } i++; } while (0)
        if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
            NEEDV();
            if (!parse_count(v, 1024, &jobs) || !jobs) { fprintf(stderr, "arm83emu-sweep: -j: '%s' is not 1..1024\n", v); return 2; }
        } else if (!strcmp(a, "--out")) { NEEDV(); out = v; }
        else if (!strcmp(a, "--index")) {
            NEEDV();
            if (!parse_count(v, SWEEP_MAX_RUNS, &index)) { fprintf(stderr, "arm83emu-sweep: --index: '%s' is not a run index\n", v); return 2; }
            have_index = true;
        } else if (!strcmp(a, "--retry-failed")) retry = true;
        else if (!strcmp(a, "--submit")) submit = true;
        else if (!strcmp(a, "--csv")) { NEEDV(); csv = v; }
        else if (!strcmp(a, "--jsonl")) { NEEDV(); jsonl = v; }
        else if (!strcmp(a, "--x")) { NEEDV(); po.x = v; }
        else if (!strcmp(a, "--series")) { NEEDV(); po.series = v; }
        else if (!strcmp(a, "--cause")) { NEEDV(); po.cause = v; }
        else if (!strcmp(a, "--metric")) { NEEDV(); po.metric = v; }
        else if (!strcmp(a, "--where")) {
            NEEDV();
            if (po.nwhere == PLOT_MAX_WHERE || !strchr(v, '=')) { fprintf(stderr, "arm83emu-sweep: --where: '%s' is not PARAM=VALUE (at most %d)\n", v, PLOT_MAX_WHERE); return 2; }
            po.where[po.nwhere++] = v;
        } else if (!strcmp(a, "-o")) { NEEDV(); plot_out = v; }
        else if (!strcmp(a, "--max-parallel")) {
            NEEDV();
            if (!parse_count(v, 100000, &maxpar)) { fprintf(stderr, "arm83emu-sweep: --max-parallel: '%s' is not a number\n", v); return 2; }
        } else if (!strcmp(a, "--sbatch-option")) {
            NEEDV();
            if (nopts == 32) { fprintf(stderr, "arm83emu-sweep: too many --sbatch-option\n"); return 2; }
            opts[nopts++] = argv[i];
        } else if (a[0] == '-' && a[1]) { fprintf(stderr, "arm83emu-sweep: unknown option %s\n", a); usage(); return 2; }
        else if (!file) file = a;
        else { fprintf(stderr, "arm83emu-sweep: unexpected argument '%s'\n", a); usage(); return 2; }
    }
    if (!file) { fprintf(stderr, "arm83emu-sweep: %s: no experiment file\n", cmd); usage(); return 2; }
    SweepSpec s;
    if (spec_load(file, self_dir, &s)) { spec_free(&s); return 2; }
    char outbuf[PATH_MAX];
    snprintf(outbuf, sizeof outbuf, "%s", absolute(out ? out : default_out(file)));
    out = outbuf;
    if (strlen(out) > SWEEP_MAX_OUT_LEN) { fprintf(stderr, "arm83emu-sweep: --out: path longer than %d characters\n", SWEEP_MAX_OUT_LEN); spec_free(&s); return 2; }
    int rc;
    if (!strcmp(cmd, "run")) rc = cmd_run(&s, out, jobs, retry);
    else if (!strcmp(cmd, "run-one")) {
        if (!have_index) { fprintf(stderr, "arm83emu-sweep: run-one needs --index I\n"); spec_free(&s); return 2; }
        if (index >= s.nruns) { fprintf(stderr, "arm83emu-sweep: --index %lu: the sweep has %zu runs (0..%zu)\n", index, s.nruns, s.nruns - 1); spec_free(&s); return 2; }
        if (mkdirs(out)) { fprintf(stderr, "arm83emu-sweep: %s: %s\n", out, strerror(errno)); spec_free(&s); return 2; }
        int r = run_one(&s, index, out);
        fprintf(stderr, "sweep %s: run %lu (%s): %s\n", s.name, index, s.runs[index].id,
                r == RUN_OK ? "ok" : r == RUN_FAILED ? "failed" : r == RUN_SKIPPED ? "already finished" : "error");
        rc = r == RUN_OK || r == RUN_SKIPPED ? 0 : r == RUN_FAILED ? 1 : 2;
    } else if (!strcmp(cmd, "status")) rc = cmd_status(&s, out);
    else if (!strcmp(cmd, "list")) rc = cmd_list(&s);
    else if (!strcmp(cmd, "collect")) rc = collect(&s, out, csv, jsonl);
    else if (!strcmp(cmd, "plot")) {
        if (!plot_out) { fprintf(stderr, "arm83emu-sweep: plot needs -o OUT.svg|OUT.png\n"); spec_free(&s); return 2; }
        rc = plot(&s, out, &po, plot_out);
    } else rc = cmd_slurm(&s, file, out, maxpar, opts, nopts, submit);
    spec_free(&s);
    return rc;
}
