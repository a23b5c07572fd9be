/*
 * collect and plot: read back OUT/runs/<id>/result.json in run order.
 */
#include "collect.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

static const char *const run_cols[] = { "status", "exit_code", "instructions", "cpu_cycles", "digest_console",
                                        "digest_exits" };
static const char *const cause_cols[] = { "cause", "exits", "returned", "cycles", "cycles_per_exit", "el2",
                                          "host_kernel", "host_user", "other", "idle" };
#define NRUN (sizeof run_cols / sizeof *run_cols)
#define NCAUSE (sizeof cause_cols / sizeof *cause_cols)

static void csv_field(FILE *f, const char *s)
{
    bool q = strpbrk(s, ",\"\n\r") != NULL || *s == ' ';
    if (!q) { fputs(s, f); return; }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static const char *field(json_object *o, const char *k, char *buf, size_t n)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, k, &v)) return "";
    if (json_object_is_type(v, json_type_string)) return json_object_get_string(v);
    snprintf(buf, n, "%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
    return buf;
}

static void cycles_per_exit(json_object *c, char *buf, size_t n)
{
    json_object *cy, *re;
    uint64_t cycles = 0, ret = 0;
    if (json_object_object_get_ex(c, "cycles", &cy)) cycles = json_object_get_uint64(cy);
    if (json_object_object_get_ex(c, "returned", &re)) ret = json_object_get_uint64(re);
    if (!ret) { buf[0] = '\0'; return; }
    /* Two decimals, computed in integers: identical text on every host. */
    uint64_t h = (cycles * 100 + ret / 2) / ret;
    snprintf(buf, n, "%llu.%02llu", (unsigned long long)(h / 100), (unsigned long long)(h % 100));
}

/* JSON value of a column: numbers stay numbers. */
static json_object *jval(const char *col, const char *text)
{
    if (!*text) return NULL;
    if (!strcmp(col, "cycles_per_exit")) return json_object_new_double_s(strtod(text, NULL), text);
    bool num = strcmp(col, "status") && strcmp(col, "digest_console") && strcmp(col, "digest_exits") &&
               strcmp(col, "cause");
    if (num) {
        char *e;
        long long v = strtoll(text, &e, 10);
        if (!*e) return json_object_new_int64(v);
    }
    return json_object_new_string(text);
}

static void emit(FILE *csv, FILE *jl, const SweepSpec *s, const SweepRun *r, json_object *res, json_object *cause)
{
    char buf[64], cpe[64];
    json_object *row = json_object_new_object();
    const char *kind = cause ? "cause" : "run";
    fputs(kind, csv);
    json_object_object_add(row, "kind", json_object_new_string(kind));
    fprintf(csv, ",%s,%u", r->id, r->repeat);
    json_object_object_add(row, "id", json_object_new_string(r->id));
    json_object_object_add(row, "repeat", json_object_new_int((int)r->repeat));
    for (unsigned i = 0; i < s->nparams; i++) {
        fputc(',', csv);
        csv_field(csv, r->values[i]);
        json_object_object_add(row, s->params[i].name, json_object_new_string(r->values[i]));
    }
    for (size_t i = 0; i < NRUN; i++) {
        const char *v = field(res, run_cols[i], buf, sizeof buf);
        fputc(',', csv);
        csv_field(csv, v);
        json_object_object_add(row, run_cols[i], jval(run_cols[i], v));
    }
    if (cause) cycles_per_exit(cause, cpe, sizeof cpe);
    for (size_t i = 0; i < NCAUSE; i++) {
        const char *v = !cause ? "" : !strcmp(cause_cols[i], "cycles_per_exit") ? cpe
                                                                                 : field(cause, cause_cols[i], buf, sizeof buf);
        fputc(',', csv);
        csv_field(csv, v);
        json_object_object_add(row, cause_cols[i], jval(cause_cols[i], v));
    }
    fputc('\n', csv);
    fprintf(jl, "%s\n", json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(row);
}

int collect(const SweepSpec *s, const char *out, const char *csvp, const char *jlp)
{
    char c1[PATH_MAX], c2[PATH_MAX];
    if (!csvp) { snprintf(c1, sizeof c1, "%s/results.csv", out); csvp = c1; }
    if (!jlp) { snprintf(c2, sizeof c2, "%s/results.jsonl", out); jlp = c2; }
    FILE *csv = fopen(csvp, "w"), *jl = csv ? fopen(jlp, "w") : NULL;
    if (!csv || !jl) {
        fprintf(stderr, "arm83emu-sweep: %s: %s\n", csv ? jlp : csvp, strerror(errno));
        if (csv) fclose(csv);
        return 2;
    }
    fputs("kind,id,repeat", csv);
    for (unsigned i = 0; i < s->nparams; i++) { fputc(',', csv); csv_field(csv, s->params[i].name); }
    for (size_t i = 0; i < NRUN; i++) fprintf(csv, ",%s", run_cols[i]);
    for (size_t i = 0; i < NCAUSE; i++) fprintf(csv, ",%s", cause_cols[i]);
    fputc('\n', csv);
    size_t missing = 0, failed = 0, bad = 0;
    for (size_t i = 0; i < s->nruns; i++) {
        const SweepRun *r = &s->runs[i];
        json_object *res = run_result(out, r);
        if (!res) {
            char p[PATH_MAX];
            snprintf(p, sizeof p, "%s/runs/%s/result.json", out, r->id);
            if (!access(p, F_OK)) { fprintf(stderr, "arm83emu-sweep: %s: not valid JSON; skipped\n", p); bad++; }
            else missing++;
            continue;
        }
        json_object *st, *causes;
        if (!json_object_object_get_ex(res, "status", &st) || strcmp(json_object_get_string(st), "ok")) failed++;
        emit(csv, jl, s, r, res, NULL);
        if (json_object_object_get_ex(res, "causes", &causes) && json_object_is_type(causes, json_type_array))
            for (size_t k = 0; k < json_object_array_length(causes); k++)
                emit(csv, jl, s, r, res, json_object_array_get_idx(causes, k));
        json_object_put(res);
    }
    int e1 = fclose(csv), e2 = fclose(jl);
    if (e1 || e2) { fprintf(stderr, "arm83emu-sweep: write error on %s\n", e1 ? csvp : jlp); return 2; }
    fprintf(stderr, "sweep %s: %zu runs: %zu collected (%zu failed), %zu not finished%s -> %s, %s\n", s->name, s->nruns,
            s->nruns - missing - bad, failed, missing + bad, bad ? " or unreadable" : "", csvp, jlp);
    return missing || failed || bad ? 1 : 0;
}

static int param_index(const SweepSpec *s, const char *n)
{
    for (unsigned i = 0; i < s->nparams; i++)
        if (!strcmp(s->params[i].name, n)) return (int)i;
    return -1;
}

static bool is_number(const char *v)
{
    char *e;
    strtod(v, &e);
    return *v && !*e;
}

int plot(const SweepSpec *s, const char *out, const PlotOpts *o, const char *img)
{
    int xi = o->x ? param_index(s, o->x) : -1;
    int si = o->series ? param_index(s, o->series) : -1;
    if (xi < 0) { fprintf(stderr, "arm83emu-sweep: plot: --x '%s' is not a parameter\n", o->x ? o->x : "(none)"); return 2; }
    if (o->series && si < 0) { fprintf(stderr, "arm83emu-sweep: plot: --series '%s' is not a parameter\n", o->series); return 2; }
    const char *metric = o->metric ? o->metric : o->cause ? "cycles_per_exit" : "cpu_cycles";
    static const char *const run_m[] = { "instructions", "cpu_cycles", "exit_code" };
    static const char *const cause_m[] = { "cycles_per_exit", "exits", "returned", "cycles", "el2", "host_kernel",
                                           "host_user", "other", "idle" };
    bool ok = false;
    const char *const *ms = o->cause ? cause_m : run_m;
    size_t nm = o->cause ? sizeof cause_m / sizeof *cause_m : sizeof run_m / sizeof *run_m;
    for (size_t i = 0; i < nm; i++) ok |= !strcmp(metric, ms[i]);
    if (!ok) {
        fprintf(stderr, "arm83emu-sweep: plot: metric '%s' unknown %s (known:", metric, o->cause ? "for a cause" : "without --cause");
        for (size_t i = 0; i < nm; i++) fprintf(stderr, " %s", ms[i]);
        fprintf(stderr, ")\n");
        return 2;
    }
    int wi[PLOT_MAX_WHERE];
    const char *wv[PLOT_MAX_WHERE];
    for (unsigned k = 0; k < o->nwhere; k++) {
        char n[64];
        const char *eq = strchr(o->where[k], '=');
        snprintf(n, sizeof n, "%.*s", (int)(eq - o->where[k]), o->where[k]);
        wi[k] = param_index(s, n);
        wv[k] = eq + 1;
        if (wi[k] < 0) { fprintf(stderr, "arm83emu-sweep: plot: --where: '%s' is not a parameter\n", n); return 2; }
    }
    /* Select; every other parameter must be constant over the selection. */
    size_t *sel = malloc((s->nruns + 1) * sizeof *sel), nsel = 0;
    double *val = malloc((s->nruns + 1) * sizeof *val);
    if (!sel || !val) { perror("arm83emu-sweep"); return 2; }
    for (size_t i = 0; i < s->nruns; i++) {
        const SweepRun *r = &s->runs[i];
        bool m = true;
        for (unsigned k = 0; k < o->nwhere; k++) m &= !strcmp(r->values[wi[k]], wv[k]);
        if (!m) continue;
        json_object *res = run_result(out, r), *st, *v = NULL;
        if (!res) continue;
        if (!json_object_object_get_ex(res, "status", &st) || strcmp(json_object_get_string(st), "ok")) { json_object_put(res); continue; }
        if (o->cause) {
            json_object *cs;
            if (json_object_object_get_ex(res, "causes", &cs))
                for (size_t k = 0; k < json_object_array_length(cs); k++) {
                    json_object *c = json_object_array_get_idx(cs, k), *cn;
                    if (json_object_object_get_ex(c, "cause", &cn) && !strcmp(json_object_get_string(cn), o->cause)) {
                        if (!strcmp(metric, "cycles_per_exit")) {
                            char b[64];
                            cycles_per_exit(c, b, sizeof b);
                            if (b[0]) { val[nsel] = strtod(b, NULL); v = c; }
                        } else if (json_object_object_get_ex(c, metric, &v)) {
                            val[nsel] = (double)json_object_get_uint64(v);
                        }
                    }
                }
        } else if (json_object_object_get_ex(res, metric, &v)) {
            val[nsel] = (double)json_object_get_int64(v);
        }
        json_object_put(res);
        if (v) sel[nsel++] = i;
    }
    if (!nsel) {
        fprintf(stderr, "arm83emu-sweep: plot: no finished run has %s%s%s\n", metric, o->cause ? " for cause " : "",
                o->cause ? o->cause : "");
        free(sel); free(val);
        return 2;
    }
    for (unsigned p = 0; p < s->nparams; p++) {
        if ((int)p == xi || (int)p == si) continue;
        for (size_t k = 1; k < nsel; k++)
            if (strcmp(s->runs[sel[k]].values[p], s->runs[sel[0]].values[p])) {
                fprintf(stderr, "arm83emu-sweep: plot: parameter '%s' varies in the selection: fix it with "
                        "--where %s=VALUE or plot it as --series\n", s->params[p].name, s->params[p].name);
                free(sel); free(val);
                return 2;
            }
    }
    bool numeric = true;
    for (size_t k = 0; k < nsel; k++) numeric &= is_number(s->runs[sel[k]].values[xi]);
    char dat[PATH_MAX], gp[PATH_MAX];
    snprintf(dat, sizeof dat, "%s/plot.dat", out);
    snprintf(gp, sizeof gp, "%s/plot.gp", out);
    FILE *d = fopen(dat, "w");
    if (!d) { fprintf(stderr, "arm83emu-sweep: %s: %s\n", dat, strerror(errno)); free(sel); free(val); return 2; }
    /* One data block per series value, in the order of the runs. */
    const char *series[SWEEP_MAX_VALUES * 2];
    unsigned nseries = 0;
    for (size_t k = 0; k < nsel; k++) {
        const char *sv = si >= 0 ? s->runs[sel[k]].values[si] : "all";
        unsigned j;
        for (j = 0; j < nseries && strcmp(series[j], sv); j++) ;
        if (j == nseries && nseries < sizeof series / sizeof *series) series[nseries++] = sv;
    }
    for (unsigned j = 0; j < nseries; j++) {
        fprintf(d, "# %s\n", series[j]);
        for (size_t k = 0; k < nsel; k++) {
            const SweepRun *r = &s->runs[sel[k]];
            if (si >= 0 && strcmp(r->values[si], series[j])) continue;
            unsigned pos = 0;
            for (unsigned q = 0; q < s->params[xi].nvalues; q++)
                if (!strcmp(s->params[xi].values[q], r->values[xi])) pos = q;
            /* x: the value itself when every x is a number, else its
             * position in the [grid] list (labelled with the value). */
            if (numeric) fprintf(d, "%s", r->values[xi]);
            else fprintf(d, "%u", pos);
            fprintf(d, " \"%s\" %.10g\n", r->values[xi], val[k]);
        }
        fprintf(d, "\n\n");
    }
    fclose(d);
    free(sel);
    free(val);
    FILE *g = fopen(gp, "w");
    if (!g) { fprintf(stderr, "arm83emu-sweep: %s: %s\n", gp, strerror(errno)); return 2; }
    const char *ext = strrchr(img, '.');
    bool png = ext && !strcmp(ext, ".png");
    fprintf(g, "set terminal %s size 900,550 noenhanced\nset output '%s'\n", png ? "pngcairo" : "svg", img);
    fprintf(g, "set title '%s: %s%s%s'\n", s->name, metric, o->cause ? " of " : "", o->cause ? o->cause : "");
    fprintf(g, "set xlabel '%s'\nset ylabel '%s'\nset grid\nset key outside right title '%s'\n", o->x, metric,
            o->series ? o->series : "");
    fprintf(g, "plot ");
    for (unsigned j = 0; j < nseries; j++) {
        fprintf(g, "%s'%s' index %u using 1:3%s with linespoints title '", j ? ", " : "", dat, j,
                numeric ? "" : ":xtic(2)");
        for (const char *c = series[j]; *c; c++) {
            if (*c == '\'') fputc('\'', g);
            fputc(*c, g);
        }
        fputs("'", g);
    }
    fputc('\n', g);
    fclose(g);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("gnuplot", "gnuplot", gp, (char *)NULL);
        fprintf(stderr, "arm83emu-sweep: cannot run gnuplot (Debian package gnuplot-nox): %s\n", strerror(errno));
        _exit(127);
    }
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
        fprintf(stderr, "arm83emu-sweep: plot: gnuplot failed (script %s)\n", gp);
        return 2;
    }
    fprintf(stderr, "sweep %s: plot written to %s\n", s->name, img);
    return 0;
}
