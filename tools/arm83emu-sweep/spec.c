/*
 * Experiment files (docs/sweeps.md): INI read with Debian's libinih, with our
 * own line reader so that every message names its line, long lines are
 * refused instead of silently split, and indented continuation lines extend
 * a value.
 */
#include "spec.h"

#include <errno.h>
#include <stdarg.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define LINE_MAX_CHARS 4096

typedef struct Parser {
    SweepSpec *s;
    FILE *f;
    unsigned line;              /* line number of the last line read */
    bool cont;                  /* that line began with whitespace (a continuation) */
    bool too_long;
    char prev_section[64], prev_name[64];
    char *cmd_buf;
    int errors;
    /* points, kept until the grid is known */
    struct { char *label; char *text; unsigned line; } points[SWEEP_MAX_VALUES];
    unsigned npoints;
    char *collect, *path_params;
    unsigned collect_line, path_params_line, causes_line;
    bool seen[16];
    /* ids of the runs so far (open addressing, 0 = empty slot; an id of 0
     * is stored as 1 in the key, compared on the full string): duplicate
     * detection in constant time per run, not a scan of all earlier runs */
    struct { uint64_t key; size_t run; } *ids;
    size_t ids_mask;
} Parser;

static void err(Parser *p, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err(Parser *p, unsigned line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%u: ", p->s->path, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    p->errors++;
}

static void *xmalloc(size_t n)
{
    void *q = malloc(n ? n : 1);
    if (!q) { perror("arm83emu-sweep"); exit(2); }
    return q;
}

static char *xstrdup(const char *s)
{
    char *q = strdup(s);
    if (!q) { perror("arm83emu-sweep"); exit(2); }
    return q;
}

/* ini_reader: fgets plus the line count and long-line detection. inih's
 * own buffer is INI_MAX_LINE (200 in Debian's build): a longer line would be
 * split into two silently, so it is refused here. */
static char *reader(char *str, int num, void *stream)
{
    Parser *p = stream;
    static char buf[LINE_MAX_CHARS];
    if (!fgets(buf, sizeof buf, p->f))
        return NULL;
    p->line++;
    size_t n = strlen(buf);
    if (n == sizeof buf - 1 && buf[n - 1] != '\n') {
        err(p, p->line, "line longer than %d characters", LINE_MAX_CHARS - 2);
        int c;
        while ((c = fgetc(p->f)) != EOF && c != '\n')
            ;
        buf[0] = '\0';
        n = 0;
    }
    p->cont = n && (buf[0] == ' ' || buf[0] == '\t');
    if (n >= (size_t)num) {   /* inih holds num - 1 bytes and a NUL */
        err(p, p->line, "line longer than %d characters: continue the value on an indented line", num - 2);
        strcpy(str, "\n");
        return str;
    }
    memcpy(str, buf, n + 1);
    return str;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* Splits a comma-separated list into trimmed, non-empty items (in place). */
static int split_list(Parser *p, char *text, char **out, unsigned max, unsigned *n, const char *what)
{
    *n = 0;
    char *save = NULL;
    int bad = 0;
    size_t len = strlen(text);
    if (len && text[len - 1] == ',') { err(p, p->line, "%s: empty item at the end of the list", what); return -1; }
    for (char *tok = strtok_r(text, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        tok = trim(tok);
        if (!*tok) { err(p, p->line, "%s: empty item in the list", what); bad = 1; continue; }
        if (*n == max) { err(p, p->line, "%s: more than %u items", what, max); return -1; }
        out[(*n)++] = tok;
    }
    if (!*n && !bad) { err(p, p->line, "%s: no value", what); return -1; }
    return bad ? -1 : 0;
}

static bool valid_name(const char *s)
{
    if (!*s || strlen(s) > 48)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static bool parse_uint(const char *v, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    if (*v < '0' || *v > '9')
        return false;
    unsigned long x = strtoul(v, &end, 0);
    if (errno || *end || x > max)
        return false;
    *out = x;
    return true;
}

static char *abs_path(const SweepSpec *s, const char *v)
{
    if (v[0] == '/')
        return xstrdup(v);
    char *q = xmalloc(strlen(s->dir) + strlen(v) + 2);
    sprintf(q, "%s/%s", s->dir, v);
    return q;
}

/* Names of result columns and built-in placeholders: not parameters. */
bool spec_reserved(const char *n)
{
    static const char *const r[] = { "run_dir", "kind", "id", "repeat", "status", "exit_code", "reason",
        "instructions", "cpu_cycles", "digest_console", "digest_exits", "cause", "exits", "returned", "cycles",
        "cycles_per_exit", "el2", "host_kernel", "host_user", "other", "idle", "index" };
    for (size_t i = 0; i < sizeof r / sizeof *r; i++)
        if (!strcmp(n, r[i]))
            return true;
    return false;
}

static SweepParam *param_find(SweepSpec *s, const char *name)
{
    for (unsigned i = 0; i < s->nparams; i++)
        if (!strcmp(s->params[i].name, name))
            return &s->params[i];
    return NULL;
}

enum { K_NAME, K_COMMAND, K_EMULATOR, K_TRACE, K_COLLECT, K_CAUSES, K_REPEATS, K_TIMEOUT, K_EXPECT, K_PATHP };
static const char *const sweep_keys[] = { "name", "command", "emulator", "trace_tool", "collect", "causes",
                                           "repeats", "timeout", "expect_status", "path_params" };

static int handler(void *user, const char *section, const char *name, const char *value)
{
    Parser *p = user;
    SweepSpec *s = p->s;
    char *v = xstrdup(value);
    bool same_key = !strcmp(p->prev_section, section) && !strcmp(p->prev_name, name);
    if (p->cont && same_key) {
        /* An indented line continues the previous value (command and lists). */
        if (!strcmp(section, "sweep") && !strcmp(name, "command")) {
            char *c = xmalloc(strlen(s->command) + strlen(v) + 2);
            sprintf(c, "%s %s", s->command, v);
            free(s->command);
            s->command = c;
            free(v);
            return 1;
        }
        err(p, p->line, "only [sweep] command may continue on an indented line");
        free(v);
        return 1;
    }
    snprintf(p->prev_section, sizeof p->prev_section, "%s", section);
    snprintf(p->prev_name, sizeof p->prev_name, "%s", name);
    if (!strcmp(section, "sweep")) {
        unsigned k;
        for (k = 0; k < sizeof sweep_keys / sizeof *sweep_keys; k++)
            if (!strcmp(name, sweep_keys[k]))
                break;
        if (k == sizeof sweep_keys / sizeof *sweep_keys) {
            err(p, p->line, "[sweep]: unknown key '%s' (known: name, command, emulator, trace_tool, collect, "
                "causes, repeats, timeout, expect_status, path_params)", name);
            free(v);
            return 1;
        }
        if (p->seen[k]) { err(p, p->line, "[sweep]: '%s' given twice", name); free(v); return 1; }
        p->seen[k] = true;
        char *t = trim(v);
        unsigned long x;
        switch (k) {
        case K_NAME:
            if (!valid_name(t)) err(p, p->line, "name: '%s' is not a name (letters, digits, _)", t);
            else s->name = xstrdup(t);
            break;
        case K_COMMAND: s->command = xstrdup(t); s->command_line = p->line; break;
        case K_EMULATOR: s->emulator = abs_path(s, t); break;
        case K_TRACE: s->trace_tool = abs_path(s, t); break;
        case K_COLLECT: p->collect = xstrdup(t); p->collect_line = p->line; break;
        case K_PATHP: p->path_params = xstrdup(t); p->path_params_line = p->line; break;
        case K_CAUSES: {
            p->causes_line = p->line;
            char *items[SWEEP_MAX_CAUSES];
            unsigned n;
            char *copy = xstrdup(t);
            if (!split_list(p, copy, items, SWEEP_MAX_CAUSES, &n, "causes"))
                for (unsigned i = 0; i < n; i++)
                    s->causes[s->ncauses++] = xstrdup(items[i]);
            free(copy);
            break;
        }
        case K_REPEATS:
            if (!parse_uint(t, 1000, &x) || x == 0) err(p, p->line, "repeats: '%s' is not a number 1..1000", t);
            else s->repeats = (unsigned)x;
            break;
        case K_TIMEOUT:
            if (!parse_uint(t, 86400 * 7, &x)) err(p, p->line, "timeout: '%s' is not seconds 0..604800", t);
            else s->timeout = (unsigned)x;
            break;
        case K_EXPECT: {
            char *items[SWEEP_MAX_STATUS];
            unsigned n;
            char *copy = xstrdup(t);
            if (!split_list(p, copy, items, SWEEP_MAX_STATUS, &n, "expect_status"))
                for (unsigned i = 0; i < n; i++) {
                    if (!parse_uint(items[i], 255, &x)) err(p, p->line, "expect_status: '%s' is not 0..255", items[i]);
                    else s->expect_status[s->nexpect++] = (int)x;
                }
            free(copy);
            break;
        }
        }
    } else if (!strcmp(section, "images")) {
        char *t = trim(v);
        if (!valid_name(name)) err(p, p->line, "[images]: '%s' is not a name (letters, digits, _)", name);
        else if (!strcmp(name, "run_dir")) err(p, p->line, "[images]: 'run_dir' is reserved");
        else if (s->nimages == SWEEP_MAX_IMAGES) err(p, p->line, "[images]: more than %d images", SWEEP_MAX_IMAGES);
        else {
            for (unsigned i = 0; i < s->nimages; i++)
                if (!strcmp(s->images[i].name, name)) { err(p, p->line, "[images]: '%s' given twice", name); goto out; }
            char *ap = abs_path(s, t);
            if (access(ap, R_OK)) err(p, p->line, "[images]: %s: %s", ap, strerror(errno));
            s->images[s->nimages].name = xstrdup(name);
            s->images[s->nimages++].path = ap;
        }
    } else if (!strcmp(section, "grid")) {
        if (!valid_name(name)) err(p, p->line, "[grid]: '%s' is not a parameter name (letters, digits, _)", name);
        else if (spec_reserved(name)) err(p, p->line, "[grid]: '%s' is reserved (a column of the results)", name);
        else if (param_find(s, name)) err(p, p->line, "[grid]: parameter '%s' given twice", name);
        else if (s->nparams == SWEEP_MAX_PARAMS) err(p, p->line, "[grid]: more than %d parameters", SWEEP_MAX_PARAMS);
        else {
            SweepParam *pr = &s->params[s->nparams++];
            pr->name = xstrdup(name);
            pr->line = p->line;
            char *items[SWEEP_MAX_VALUES];
            unsigned n;
            if (!split_list(p, v, items, SWEEP_MAX_VALUES, &n, name)) {
                for (unsigned i = 0; i < n; i++) {
                    for (unsigned j = 0; j < i; j++)
                        if (!strcmp(items[i], items[j])) { err(p, p->line, "%s: value '%s' given twice", name, items[i]); break; }
                    pr->values[pr->nvalues++] = xstrdup(items[i]);
                }
            }
        }
    } else if (!strcmp(section, "points")) {
        if (p->npoints == SWEEP_MAX_VALUES) err(p, p->line, "[points]: more than %d points", SWEEP_MAX_VALUES);
        else {
            for (unsigned i = 0; i < p->npoints; i++)
                if (!strcmp(p->points[i].label, name)) { err(p, p->line, "[points]: point '%s' given twice", name); goto out; }
            p->points[p->npoints].label = xstrdup(name);
            p->points[p->npoints].text = xstrdup(trim(v));
            p->points[p->npoints++].line = p->line;
        }
    } else {
        err(p, p->line, "unknown section [%s] (known: sweep, images, grid, points)", section);
    }
out:
    free(v);
    return 1;
}

/* Template tokens: whitespace-separated, '...' and "..." quote, \ escapes
 * outside single quotes. */
static int tokenize(const char *t, char ***out, unsigned *n)
{
    char **v = NULL;
    unsigned cnt = 0;
    const char *c = t;
    while (*c) {
        while (*c == ' ' || *c == '\t') c++;
        if (!*c) break;
        char *tok = xmalloc(strlen(c) + 1);
        size_t k = 0;
        while (*c && *c != ' ' && *c != '\t') {
            if (*c == '\'') {
                const char *e = strchr(c + 1, '\'');
                if (!e) { free(tok); goto bad; }
                memcpy(tok + k, c + 1, (size_t)(e - c - 1));
                k += (size_t)(e - c - 1);
                c = e + 1;
            } else if (*c == '"') {
                c++;
                while (*c && *c != '"') {
                    if (*c == '\\' && c[1]) c++;
                    tok[k++] = *c++;
                }
                if (!*c) { free(tok); goto bad; }
                c++;
            } else {
                if (*c == '\\' && c[1]) c++;
                tok[k++] = *c++;
            }
        }
        tok[k] = '\0';
        v = realloc(v, (cnt + 2) * sizeof *v);
        if (!v) { perror("arm83emu-sweep"); exit(2); }
        v[cnt++] = tok;
        v[cnt] = NULL;
    }
    *out = v;
    *n = cnt;
    return 0;
bad:
    for (unsigned i = 0; i < cnt; i++) free(v[i]);
    free(v);
    return -1;
}

/* Replaces {name} in TOK; NULL values = validation only (returns -1 and
 * names the first unknown placeholder in *bad). */
static char *substitute(const SweepSpec *s, const char *tok, const SweepRun *r, const char *run_dir, char *bad,
                        size_t badsz, bool *used)
{
    size_t cap = strlen(tok) + 1, k = 0;
    char *out = xmalloc(cap);
    for (const char *c = tok; *c;) {
        const char *val = NULL;
        char key[64];
        if (*c == '{') {
            const char *e = strchr(c, '}');
            size_t n = e ? (size_t)(e - c - 1) : 0;
            if (!e || n == 0 || n >= sizeof key) {
                snprintf(bad, badsz, "unterminated or empty placeholder in '%s'", tok);
                free(out);
                return NULL;
            }
            memcpy(key, c + 1, n);
            key[n] = '\0';
            char *path = NULL;
            if (!strcmp(key, "run_dir"))
                val = run_dir ? run_dir : "";
            for (unsigned i = 0; !val && i < s->nparams; i++)
                if (!strcmp(s->params[i].name, key)) {
                    if (used) used[i] = true;
                    val = r ? r->values[i] : "";
                    if (r && s->params[i].is_path)
                        val = path = spec_value_path(s, i, r->values[i]);
                }
            for (unsigned i = 0; !val && i < s->nimages; i++)
                if (!strcmp(s->images[i].name, key))
                    val = s->images[i].path;
            if (!val) {
                snprintf(bad, badsz, "unknown placeholder {%s} (not a parameter, an image or run_dir)", key);
                free(out);
                return NULL;
            }
            size_t vl = strlen(val);
            cap += vl;
            out = realloc(out, cap);
            if (!out) { perror("arm83emu-sweep"); exit(2); }
            memcpy(out + k, val, vl);
            k += vl;
            free(path);
            c = e + 1;
        } else {
            out[k++] = *c++;
        }
    }
    out[k] = '\0';
    return out;
}

char *spec_value_path(const SweepSpec *s, unsigned param, const char *value)
{
    return abs_path(s, value);
}

static void run_id(const SweepSpec *s, SweepRun *r)
{
    /* XXH64 (seed 0) of "name=value\n" for every parameter in name order,
     * then "#repeat=R\n" when repeats > 1: the id depends on the values only,
     * not on the order of the file or the run's position. */
    XXH64_state_t *st = XXH64_createState();
    XXH64_reset(st, 0);
    unsigned order[SWEEP_MAX_PARAMS];
    for (unsigned i = 0; i < s->nparams; i++) order[i] = i;
    for (unsigned i = 1; i < s->nparams; i++)
        for (unsigned j = i; j > 0 && strcmp(s->params[order[j - 1]].name, s->params[order[j]].name) > 0; j--) {
            unsigned t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
        }
    for (unsigned i = 0; i < s->nparams; i++) {
        const char *n = s->params[order[i]].name, *v = r->values[order[i]];
        XXH64_update(st, n, strlen(n));
        XXH64_update(st, "=", 1);
        XXH64_update(st, v, strlen(v));
        XXH64_update(st, "\n", 1);
    }
    if (s->repeats > 1) {
        char b[32];
        int n = snprintf(b, sizeof b, "#repeat=%u\n", r->repeat);
        XXH64_update(st, b, (size_t)n);
    }
    snprintf(r->id, sizeof r->id, "%016llx", (unsigned long long)XXH64_digest(st));
    XXH64_freeState(st);
}

static void add_run(Parser *p, const char **values, unsigned line)
{
    SweepSpec *s = p->s;
    for (unsigned rep = 0; rep < s->repeats; rep++) {
        if (s->nruns == SWEEP_MAX_RUNS) {
            if (rep == 0) err(p, line, "more than %d runs", SWEEP_MAX_RUNS);
            return;
        }
        SweepRun *r = &s->runs[s->nruns];
        memset(r, 0, sizeof *r);
        memcpy(r->values, values, s->nparams * sizeof *values);
        r->repeat = rep;
        run_id(s, r);
        uint64_t key = strtoull(r->id, NULL, 16);
        if (!key)
            key = 1;
        size_t slot = (size_t)(key * 0x9E3779B97F4A7C15ull) & p->ids_mask;
        for (; p->ids[slot].key; slot = (slot + 1) & p->ids_mask)
            if (p->ids[slot].key == key && !strcmp(s->runs[p->ids[slot].run].id, r->id)) {
                err(p, line, "run %s (the same parameter values) appears twice", r->id);
                return;
            }
        p->ids[slot].key = key;
        p->ids[slot].run = s->nruns;
        s->nruns++;
    }
}

int spec_load(const char *path, const char *self_dir, SweepSpec *s)
{
    memset(s, 0, sizeof *s);
    s->path = xstrdup(path);
    s->repeats = 1;
    Parser p = { .s = s };
    p.f = fopen(path, "r");
    if (!p.f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    char rp[PATH_MAX];
    if (!realpath(path, rp)) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        fclose(p.f);
        return -1;
    }
    char *slash = strrchr(rp, '/');
    *slash = '\0';
    s->dir = xstrdup(rp[0] ? rp : "/");
    int rc = ini_parse_stream(reader, &p, handler, &p);
    fclose(p.f);
    if (rc > 0)
        err(&p, (unsigned)rc, "syntax error (expected [section], key = value, or a ; comment)");
    else if (rc < 0)
        err(&p, 0, "cannot parse the file");
    unsigned end = p.line;

    /* [sweep] checks */
    if (!s->command) err(&p, end, "[sweep]: 'command' is required");
    if (!s->name) {
        const char *b = strrchr(path, '/');
        b = b ? b + 1 : path;
        s->name = xstrdup(b);
        char *dot = strrchr(s->name, '.');
        if (dot && dot != s->name) *dot = '\0';
    }
    if (!s->nexpect) s->expect_status[s->nexpect++] = 0;
    s->collect_digest = s->collect_stats = true;
    if (p.collect) {
        s->collect_digest = s->collect_stats = false;
        char *items[8];
        unsigned n;
        p.line = p.collect_line;
        if (!split_list(&p, p.collect, items, 8, &n, "collect"))
            for (unsigned i = 0; i < n; i++) {
                if (!strcmp(items[i], "digest")) s->collect_digest = true;
                else if (!strcmp(items[i], "stats")) s->collect_stats = true;
                else if (!strcmp(items[i], "exits")) s->collect_exits = true;
                else err(&p, p.collect_line, "collect: unknown item '%s' (known: digest, stats, exits)", items[i]);
            }
    }
    if (s->ncauses && !s->collect_exits)
        err(&p, p.causes_line, "[sweep]: 'causes' needs 'exits' in collect");
    /* Tools: the explicit ones must exist; default next to us, else PATH. */
    const char *tools[2] = { "arm83emu", "arm83emu-trace" };
    char **slots[2] = { &s->emulator, &s->trace_tool };
    for (int t = 0; t < 2; t++) {
        if (*slots[t]) {
            if (access(*slots[t], X_OK))
                err(&p, end, "[sweep]: %s: %s", *slots[t], strerror(errno));
            continue;
        }
        char *c = xmalloc(strlen(self_dir) + strlen(tools[t]) + 2);
        sprintf(c, "%s/%s", self_dir, tools[t]);
        if (access(c, X_OK)) { free(c); c = xstrdup(tools[t]); }
        *slots[t] = c;
    }

    /* Points: "param=value, param=value"; each names exactly the grid's
     * parameters (or, without a grid, those of the first point). */
    bool grid = s->nparams > 0;
    const char **pv = xmalloc(p.npoints * SWEEP_MAX_PARAMS * sizeof *pv + 1);
    bool *pok = xmalloc(p.npoints + 1);
    for (unsigned i = 0; i < p.npoints; i++) {
        char *items[SWEEP_MAX_PARAMS + 1];
        unsigned n;
        p.line = p.points[i].line;
        pok[i] = false;
        const char **vals = pv + i * SWEEP_MAX_PARAMS;
        for (unsigned j = 0; j < SWEEP_MAX_PARAMS; j++) vals[j] = NULL;
        if (split_list(&p, p.points[i].text, items, SWEEP_MAX_PARAMS + 1, &n, p.points[i].label))
            continue;
        bool bad = false;
        for (unsigned j = 0; j < n; j++) {
            char *eq = strchr(items[j], '=');
            if (!eq) { err(&p, p.line, "point %s: '%s' is not param=value", p.points[i].label, items[j]); bad = true; continue; }
            *eq = '\0';
            char *nm = trim(items[j]), *val = trim(eq + 1);
            if (!*val) { err(&p, p.line, "point %s: empty value for '%s'", p.points[i].label, nm); bad = true; continue; }
            SweepParam *pr = param_find(s, nm);
            if (!pr && !grid && i == 0 && valid_name(nm) && !spec_reserved(nm) && s->nparams < SWEEP_MAX_PARAMS) {
                pr = &s->params[s->nparams++];
                pr->name = xstrdup(nm);
                pr->line = p.line;
            }
            if (!pr) { err(&p, p.line, "point %s: '%s' is not a parameter of this sweep", p.points[i].label, nm); bad = true; continue; }
            unsigned idx = (unsigned)(pr - s->params);
            if (vals[idx]) { err(&p, p.line, "point %s: '%s' given twice", p.points[i].label, nm); bad = true; continue; }
            vals[idx] = val;
        }
        for (unsigned j = 0; !bad && j < s->nparams; j++)
            if (!vals[j]) { err(&p, p.line, "point %s: no value for parameter '%s'", p.points[i].label, s->params[j].name); bad = true; }
        pok[i] = !bad;
    }
    if (p.path_params) {
        char *items[SWEEP_MAX_PARAMS];
        unsigned n;
        p.line = p.path_params_line;
        if (!split_list(&p, p.path_params, items, SWEEP_MAX_PARAMS, &n, "path_params"))
            for (unsigned i = 0; i < n; i++) {
                SweepParam *pr = param_find(s, items[i]);
                if (!pr) err(&p, p.path_params_line, "path_params: '%s' is not a [grid] parameter", items[i]);
                else pr->is_path = true;
            }
    }
    /* Path parameters must name readable files (grid values and points). */
    for (unsigned i = 0; i < s->nparams; i++) {
        if (!s->params[i].is_path) continue;
        for (unsigned j = 0; j < s->params[i].nvalues; j++) {
            char *ap = spec_value_path(s, i, s->params[i].values[j]);
            if (access(ap, R_OK)) err(&p, s->params[i].line, "%s: %s: %s", s->params[i].name, ap, strerror(errno));
            free(ap);
        }
        for (unsigned k = 0; k < p.npoints; k++) {
            const char *v = pv[k * SWEEP_MAX_PARAMS + i];
            if (!pok[k] || !v) continue;
            char *ap = spec_value_path(s, i, v);
            if (access(ap, R_OK)) err(&p, p.points[k].line, "%s: %s: %s", s->params[i].name, ap, strerror(errno));
            free(ap);
        }
    }
    if (!s->nparams && !p.npoints && s->command)
        err(&p, end, "no [grid] parameters and no [points]: nothing to run");

    /* The command: quotes balanced, every placeholder known, every
     * parameter used, collection options left to the tool. */
    if (s->command) {
        char **toks;
        unsigned nt;
        if (tokenize(s->command, &toks, &nt)) {
            err(&p, s->command_line, "command: unbalanced quote");
        } else {
            bool used[SWEEP_MAX_PARAMS] = { 0 };
            for (unsigned i = 0; i < nt; i++) {
                char bad[200];
                char *o = substitute(s, toks[i], NULL, NULL, bad, sizeof bad, used);
                if (!o) err(&p, s->command_line, "command: %s", bad);
                free(o);
                const char *t = toks[i];
                if (t[0] == '-' && t[1] == '-') t++;
                if (!strcmp(t, "-stats") || !strcmp(t, "-digest") || !strcmp(t, "-exit-trace"))
                    err(&p, s->command_line, "command: %s is added by the sweep from 'collect'; remove it", toks[i]);
                free(toks[i]);
            }
            free(toks);
            for (unsigned i = 0; i < s->nparams; i++)
                if (!used[i]) err(&p, s->params[i].line, "parameter '%s' is not used in the command", s->params[i].name);
        }
    }

    /* Expansion: the grid (first parameter slowest), then the points. */
    if (!p.errors) {
        size_t total = 1;
        if (grid)
            for (unsigned i = 0; i < s->nparams && total <= SWEEP_MAX_RUNS; i++) total *= s->params[i].nvalues;
        else
            total = 0;
        total += p.npoints;
        if (total * s->repeats > SWEEP_MAX_RUNS) {
            err(&p, end, "%zu runs: more than %d", total * s->repeats, SWEEP_MAX_RUNS);
        } else {
            s->runs = xmalloc(total * s->repeats * sizeof *s->runs);
            size_t cap = 2;
            while (cap < 2 * total * s->repeats)
                cap *= 2;
            p.ids = calloc(cap, sizeof *p.ids);
            if (!p.ids) { perror("arm83emu-sweep"); exit(2); }
            p.ids_mask = cap - 1;
            if (grid) {
                unsigned idx[SWEEP_MAX_PARAMS] = { 0 };
                for (;;) {
                    const char *vals[SWEEP_MAX_PARAMS];
                    for (unsigned i = 0; i < s->nparams; i++) vals[i] = s->params[i].values[idx[i]];
                    add_run(&p, vals, s->params[s->nparams - 1].line);
                    int i = (int)s->nparams - 1;
                    while (i >= 0 && ++idx[i] == s->params[i].nvalues) idx[i--] = 0;
                    if (i < 0) break;
                }
            }
            for (unsigned k = 0; k < p.npoints; k++)
                add_run(&p, pv + k * SWEEP_MAX_PARAMS, p.points[k].line);
        }
    }
    /* Point values point into p.points[].text: the spec owns them now. */
    for (unsigned k = 0; k < p.npoints; k++) {
        free(p.points[k].label);
        s->point_texts[s->npoint_texts++] = p.points[k].text;
    }
    free(p.ids);
    free(pok);
    free(pv);
    free(p.collect);
    free(p.path_params);
    if (p.errors) {
        fprintf(stderr, "%s: %d error(s); nothing was run\n", path, p.errors);
        return -1;
    }
    return 0;
}

void spec_free(SweepSpec *s)
{
    free(s->path);
    free(s->dir);
    free(s->name);
    free(s->emulator);
    free(s->trace_tool);
    free(s->command);
    for (unsigned i = 0; i < s->nparams; i++) {
        free(s->params[i].name);
        for (unsigned j = 0; j < s->params[i].nvalues; j++)
            free(s->params[i].values[j]);
    }
    for (unsigned i = 0; i < s->nimages; i++) {
        free(s->images[i].name);
        free(s->images[i].path);
    }
    for (unsigned i = 0; i < s->ncauses; i++)
        free(s->causes[i]);
    for (unsigned i = 0; i < s->npoint_texts; i++)
        free(s->point_texts[i]);
    free(s->runs);
    memset(s, 0, sizeof *s);
}

char **spec_argv(const SweepSpec *s, const SweepRun *r, const char *run_dir, const char *trace_path)
{
    char **toks;
    unsigned nt;
    if (tokenize(s->command, &toks, &nt))
        return NULL;
    char **argv = xmalloc((nt + 8) * sizeof *argv);
    unsigned k = 0;
    argv[k++] = xstrdup(s->emulator);
    for (unsigned i = 0; i < nt; i++) {
        char bad[200];
        argv[k] = substitute(s, toks[i], r, run_dir, bad, sizeof bad, NULL);
        free(toks[i]);
        if (!argv[k]) { argv[k] = NULL; free(toks); spec_argv_free(argv); return NULL; }
        k++;
    }
    free(toks);
    if (s->collect_digest) argv[k++] = xstrdup("--digest");
    if (s->collect_stats) argv[k++] = xstrdup("--stats");
    if (s->collect_exits && trace_path) {
        argv[k++] = xstrdup("--exit-trace");
        argv[k++] = xstrdup(trace_path);
    }
    argv[k] = NULL;
    return argv;
}

void spec_argv_free(char **argv)
{
    if (!argv) return;
    for (char **a = argv; *a; a++) free(*a);
    free(argv);
}
