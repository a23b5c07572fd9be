/*
 * arm83emu-trace: reads an exit trace (docs/exit-trace.md) and prints where
 * the time of exits went: counts and round trips (total, mean, p50, p99)
 * with their parts (EL2, host kernel, host user space, other guests, idle)
 * by exception class, by decoded cause, per CPU, per VMID and per nesting
 * level; exports CSV, JSON Lines and a Chrome-trace/Perfetto timeline; plots
 * exits per reason over time with gnuplot.
 *
 * usage: arm83emu-trace FILE [--top N] [--by-vmid] [--kvm-abi VER] [--csv OUT]
 *                            [--jsonl OUT] [--perfetto OUT] [--plot OUT.svg|OUT.png]
 *                            [--by-l2-exit] [--l2-csv OUT]
 *                            [--xen [--xen-domid VMID=DOMID]... [--xen-dom0-ppi N]]
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm83emu/trace.h"
#include "cause.h"
#include "exits.h"
#include "xen.h"

Exit *exits;
size_t nexits;
static size_t cap_exits;
char **causes;
static size_t ncauses, cap_causes;

static uint32_t intern(const char *s)
{
    /* Linear interning keeps first-seen order; causes are few (hundreds). */
    for (size_t i = 0; i < ncauses; i++)
        if (!strcmp(causes[i], s))
            return (uint32_t)i;
    if (ncauses == cap_causes) {
        cap_causes = cap_causes ? 2 * cap_causes : 64;
        causes = realloc(causes, cap_causes * sizeof *causes);
        if (!causes) { perror("arm83emu-trace"); exit(2); }
    }
    causes[ncauses] = strdup(s);
    return (uint32_t)ncauses++;
}

/* ---- Group statistics ------------------------------------------------------ */

typedef struct Group {
    char name[128];
    uint64_t count, returned, total;
    uint64_t part[A83_EXIT_PARTS];
    uint64_t *spent;
    size_t nspent, cap;
} Group;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_group(const void *a, const void *b)
{
    const Group *x = a, *y = b;
    if (x->total != y->total)
        return x->total < y->total ? 1 : -1;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

static Group *group_get(Group **gs, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*gs)[i].name, name))
            return &(*gs)[i];
    *gs = realloc(*gs, (*n + 1) * sizeof **gs);
    if (!*gs) { perror("arm83emu-trace"); exit(2); }
    Group *g = &(*gs)[(*n)++];
    memset(g, 0, sizeof *g);
    snprintf(g->name, sizeof g->name, "%s", name);
    return g;
}

static void group_add(Group *g, const Exit *e)
{
    g->count++;
    if (!e->returned)
        return;
    g->returned++;
    g->total += e->spent;
    for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
        g->part[k] += e->part[k];
    if (g->nspent == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 16;
        g->spent = realloc(g->spent, g->cap * sizeof *g->spent);
        if (!g->spent) { perror("arm83emu-trace"); exit(2); }
    }
    g->spent[g->nspent++] = e->spent;
}

static uint64_t pct(const Group *g, unsigned p)
{
    if (!g->nspent)
        return 0;
    size_t k = (g->nspent * p + 99) / 100;
    if (k)
        k--;
    return g->spent[k < g->nspent ? k : g->nspent - 1];
}

static void print_view(const char *title, const char *col, char *(*key)(const Exit *, char *, size_t),
                       unsigned top)
{
    Group *gs = NULL;
    size_t n = 0;
    char buf[128];
    for (size_t i = 0; i < nexits; i++)
        group_add(group_get(&gs, &n, key(&exits[i], buf, sizeof buf)), &exits[i]);
    /* qsort() must not be given NULL, even for 0 elements (C11 7.22.5):
     * a group in which no exit returned has no spent[] array. */
    for (size_t i = 0; i < n; i++)
        if (gs[i].nspent > 1)
            qsort(gs[i].spent, gs[i].nspent, sizeof *gs[i].spent, cmp_u64);
    if (n > 1)
        qsort(gs, n, sizeof *gs, cmp_group);
    printf("\n%s\n", title);
    printf("%10s %14s %10s %10s %10s %9s %9s %9s %9s %9s  %s\n", "exits", "cycles", "mean", "p50", "p99", "el2",
           "host-k", "host-u", "other", "idle", col);
    for (size_t i = 0; i < n && (!top || i < top); i++) {
        const Group *g = &gs[i];
        uint64_t d = g->returned ? g->returned : 1;
        printf("%10" PRIu64 " %14" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %9" PRIu64 " %9" PRIu64
               " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 "  %s\n",
               g->count, g->total, g->total / d, pct(g, 50), pct(g, 99), g->part[A83_PART_EL2] / d,
               g->part[A83_PART_HOST_KERNEL] / d, g->part[A83_PART_HOST_USER] / d, g->part[A83_PART_OTHER] / d,
               g->part[A83_PART_IDLE] / d, g->name);
    }
    if (top && n > top)
        printf("%10s (%zu more)\n", "...", n - top);
    for (size_t i = 0; i < n; i++)
        free(gs[i].spent);
    free(gs);
}

static char *key_ec(const Exit *e, char *b, size_t n)
{
    if (e->r.vector == A83_VEC_IRQ || e->r.vector == A83_VEC_FIQ)
        snprintf(b, n, "%s", e->r.vector == A83_VEC_IRQ ? "IRQ" : "FIQ");
    else
        snprintf(b, n, "%s (EC %#x)", ec_name((unsigned)(e->r.esr >> 26) & 0x3f),
                 (unsigned)(e->r.esr >> 26) & 0x3f);
    return b;
}
static char *key_cause(const Exit *e, char *b, size_t n) { snprintf(b, n, "%s", causes[e->cause]); return b; }
static char *key_cpu(const Exit *e, char *b, size_t n) { snprintf(b, n, "CPU %u", e->r.cpu); return b; }
static char *key_vmid(const Exit *e, char *b, size_t n) { snprintf(b, n, "VMID %u", e->r.vmid); return b; }
/* --by-vmid: each cause per VMID and level ("VMID 1 L1 WFI"), so that a
 * hypervisor's own exceptions (L0) and each guest's exits read apart. */
static char *key_vmid_cause(const Exit *e, char *b, size_t n)
{
    snprintf(b, n, "VMID %u L%u %s", e->r.vmid, e->level, causes[e->cause]);
    return b;
}
/* --xen: the domain of an exit (xen.c: Xen itself, dom0, dN) */
static char *key_domain(const Exit *e, char *b, size_t n)
{
    xen_domain_name(&e->r, e->level, b, n);
    return b;
}
static char *key_domain_cause(const Exit *e, char *b, size_t n)
{
    char d[32];
    xen_domain_name(&e->r, e->level, d, sizeof d);
    snprintf(b, n, "%-5s %s", d, causes[e->cause]);
    return b;
}
static char *key_level(const Exit *e, char *b, size_t n)
{
    snprintf(b, n, "L%u%s", e->level,
             e->level == 0 ? ((e->r.flags & A83_EXIT_FLAG_TGE) && e->r.from_el < 2 ? " (host EL0, TGE)"
                              : e->r.from_el == 1                                  ? " (host EL1)"
                              : e->r.from_el == 0                                  ? " (host EL0)"
                                                                                   : " (EL2 itself)")
             : e->level == 2                ? " (nested guest, NV=0)"
             : e->r.flags & A83_EXIT_FLAG_NV ? " (guest hypervisor, vEL2, NV=1)"
                                             : " (guest)");
    return b;
}

/* --xen: the exits of guest domains during which other contexts ran on
 * their CPU (`other`), with the part of it that was dom0's (xen.c):
 * a domU's I/O served by dom0's back ends, its console drained by dom0's
 * xenconsoled. Per domain and cause; most `other` time first. */
static void print_dom0_waits(unsigned top)
{
    typedef struct { char name[160]; uint64_t count, other, dom0; } Wait;
    Wait *ws = NULL;
    size_t n = 0;
    for (size_t i = 0; i < nexits; i++) {
        const Exit *e = &exits[i];
        char dom[32], key[160];
        xen_domain_name(&e->r, e->level, dom, sizeof dom);
        if (!e->returned || e->level == 0 || !e->part[A83_PART_OTHER] || !strcmp(dom, "dom0"))
            continue;
        snprintf(key, sizeof key, "%-5s %s", dom, causes[e->cause]);
        size_t k;
        for (k = 0; k < n && strcmp(ws[k].name, key); k++)
            ;
        if (k == n) {
            ws = realloc(ws, (n + 1) * sizeof *ws);
            if (!ws) { perror("arm83emu-trace"); exit(2); }
            memset(&ws[n], 0, sizeof *ws);
            snprintf(ws[n].name, sizeof ws[n].name, "%s", key);
            n++;
        }
        uint64_t t0 = e->r.cycle, t1 = e->r.cycle + e->spent;
        ws[k].count++;
        ws[k].other += e->part[A83_PART_OTHER];
        /* runs on the exit's CPU approximate where its vCPU waited: at most `other` */
        uint64_t d0 = xen_dom0_time(e->r.cpu, t0, t1);
        ws[k].dom0 += d0 < e->part[A83_PART_OTHER] ? d0 : e->part[A83_PART_OTHER];
    }
    /* most `other` first, then by name: the same order every run */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && (ws[j].other > ws[j - 1].other ||
                                     (ws[j].other == ws[j - 1].other && strcmp(ws[j].name, ws[j - 1].name) < 0));
             j--) {
            Wait t = ws[j];
            ws[j] = ws[j - 1];
            ws[j - 1] = t;
        }
    printf("\nExits of guest domains during which other guest contexts ran on their CPU (--xen)\n"
           "other: cycles of the round trips in other guest contexts; in dom0: of those, dom0's (runs on\n"
           "the exit's own CPU); mean per exit\n");
    printf("%10s %14s %10s %14s %10s  %s\n", "exits", "other", "mean", "in dom0", "mean", "domain cause");
    for (size_t i = 0; i < n && (!top || i < top); i++)
        printf("%10" PRIu64 " %14" PRIu64 " %10" PRIu64 " %14" PRIu64 " %10" PRIu64 "  %s\n", ws[i].count,
               ws[i].other, ws[i].other / ws[i].count, ws[i].dom0, ws[i].dom0 / ws[i].count, ws[i].name);
    if (top && n > top)
        printf("%10s (%zu more)\n", "...", n - top);
    free(ws);
}

/* ---- Exports ---------------------------------------------------------------- */

/* Column names of the parts, in A83_PART_* order (CSV, JSON Lines). */
static const char *const part_names[A83_EXIT_PARTS] = { "el2", "host_kernel", "host_user", "other", "idle" };

static double to_us(uint64_t cycles, uint64_t hz) { return (double)cycles * 1e6 / (double)hz; }

static json_object *exit_json(const Exit *e)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "seq", json_object_new_int64((int64_t)e->r.seq));
    json_object_object_add(o, "cpu", json_object_new_int((int)e->r.cpu));
    json_object_object_add(o, "cycle", json_object_new_int64((int64_t)e->r.cycle));
    json_object_object_add(o, "from_el", json_object_new_int(e->r.from_el));
    json_object_object_add(o, "ec", json_object_new_int((int)(e->r.esr >> 26) & 0x3f));
    char hex[24];
    snprintf(hex, sizeof hex, "%#" PRIx64, e->r.esr);
    json_object_object_add(o, "esr", json_object_new_string(hex));
    snprintf(hex, sizeof hex, "%#" PRIx64, e->r.far);
    json_object_object_add(o, "far", json_object_new_string(hex));
    snprintf(hex, sizeof hex, "%#" PRIx64, e->r.hpfar);
    json_object_object_add(o, "hpfar", json_object_new_string(hex));
    snprintf(hex, sizeof hex, "%#" PRIx64, e->r.elr);
    json_object_object_add(o, "elr", json_object_new_string(hex));
    snprintf(hex, sizeof hex, "%#" PRIx64, e->r.x0);
    json_object_object_add(o, "x0", json_object_new_string(hex));
    json_object_object_add(o, "vmid", json_object_new_int(e->r.vmid));
    json_object_object_add(o, "level", json_object_new_int(e->level));
    json_object_object_add(o, "intid", json_object_new_int((int)e->r.intid));
    json_object_object_add(o, "cycles", json_object_new_int64((int64_t)e->spent));
    for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
        json_object_object_add(o, part_names[k], json_object_new_int64((int64_t)e->part[k]));
    json_object_object_add(o, "end_cpu", json_object_new_int((int)e->end_cpu));
    snprintf(hex, sizeof hex, "%#" PRIx64, e->r.vmpidr);
    json_object_object_add(o, "vmpidr", json_object_new_string(hex));
    json_object_object_add(o, "returned", json_object_new_boolean(e->returned));
    json_object_object_add(o, "cause", json_object_new_string(causes[e->cause]));
    if (xen_mode()) {
        char dom[32];
        xen_domain_name(&e->r, e->level, dom, sizeof dom);
        json_object_object_add(o, "domain", json_object_new_string(dom));
    }
    return o;
}

static int export_jsonl(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < nexits; i++) {
        json_object *o = exit_json(&exits[i]);
        fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
        json_object_put(o);
    }
    return fclose(f);
}

size_t exit_by_seq(uint64_t seq)
{
    size_t lo = 0, hi = nexits;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (exits[mid].r.seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nexits && exits[lo].r.seq == seq ? lo : nexits;
}

void csv_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int export_csv(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "seq,cpu,end_cpu,cycle,from_el,vector,ec,esr,far,hpfar,elr,x0,x1,x16,vmid,vmpidr,level,intid,"
               "returned,cycles,el2,host_kernel,host_user,other,idle,cause%s\n", xen_mode() ? ",domain" : "");
    for (size_t i = 0; i < nexits; i++) {
        const Exit *e = &exits[i];
        fprintf(f, "%" PRIu64 ",%u,%u,%" PRIu64 ",%u,%u,%u,%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64
                   ",%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ",%u,%#" PRIx64 ",%u,%u,%d,%" PRIu64,
                e->r.seq, e->r.cpu, e->returned ? e->end_cpu : e->r.cpu, e->r.cycle, e->r.from_el, e->r.vector,
                (unsigned)(e->r.esr >> 26) & 0x3f, e->r.esr, e->r.far, e->r.hpfar, e->r.elr, e->r.x0,
                e->r.x1, e->r.x16, e->r.vmid, e->r.vmpidr, e->level, e->r.intid, e->returned ? 1 : 0, e->spent);
        for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
            fprintf(f, ",%" PRIu64, e->part[k]);
        fputc(',', f);
        csv_str(f, causes[e->cause]);
        if (xen_mode()) {   /* --xen: the Xen domain (xen.c) as a last column */
            char dom[32];
            xen_domain_name(&e->r, e->level, dom, sizeof dom);
            fputc(',', f);
            csv_str(f, dom);
        }
        fputc('\n', f);
    }
    return fclose(f);
}

/* Chrome trace event format (JSON object with traceEvents), which
 * ui.perfetto.dev opens: one track per CPU, one complete ("X") slice per exit. */
static int export_perfetto(const char *path, uint32_t ncpus, uint64_t hz)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
    /* One track per CPU: the header's count is bounded by the reader
     * (A83_MAX_CPUS); never trust it beyond that (issue 19). */
    if (ncpus > A83_MAX_CPUS)
        ncpus = A83_MAX_CPUS;
    for (uint32_t c = 0; c < ncpus; c++) {
        fprintf(f, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":%u,\"args\":{\"name\":\"CPU %u\"}},\n",
                c, c);
    }
    fprintf(f, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"args\":{\"name\":\"arm83emu EL2 exits\"}}");
    for (size_t i = 0; i < nexits; i++) {
        const Exit *e = &exits[i];
        json_object *args = exit_json(e);
        json_object *ev = json_object_new_object();
        json_object_object_add(ev, "name", json_object_new_string(causes[e->cause]));
        json_object_object_add(ev, "cat", json_object_new_string(e->level == 0 ? "el2" : "exit"));
        json_object_object_add(ev, "ph", json_object_new_string("X"));
        json_object_object_add(ev, "pid", json_object_new_int(1));
        json_object_object_add(ev, "tid", json_object_new_int((int)e->r.cpu));
        json_object_object_add(ev, "ts", json_object_new_double(to_us(e->r.cycle, hz)));
        json_object_object_add(ev, "dur", json_object_new_double(to_us(e->spent ? e->spent : 1, hz)));
        json_object_object_add(ev, "args", args);
        fprintf(f, ",\n%s", json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN));
        json_object_put(ev);
    }
    fprintf(f, "\n]}\n");
    return fclose(f);
}

/* Exits per reason (exception class) over time, in 60 bins, with gnuplot. */
static int export_plot(const char *path, uint64_t hz)
{
    if (!nexits)
        return -1;
    char dat[] = "/tmp/a83plotXXXXXX";
    int fd = mkstemp(dat);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "w");
    const char *classes[12];
    unsigned ncls = 0;
    char kb[128];
    for (size_t i = 0; i < nexits && ncls < 12; i++) {
        key_ec(&exits[i], kb, sizeof kb);
        unsigned k;
        for (k = 0; k < ncls && strcmp(classes[k], kb); k++)
            ;
        if (k == ncls)
            classes[ncls++] = strdup(kb);
    }
    /* Bins over [min cycle, max cycle]: records of several CPUs are not in
     * cycle order, and a span of 0 or 2^64 must not divide by zero (the
     * last record's cycle + 1 could equal the first's: issue 19). */
    uint64_t t0 = UINT64_MAX, tmax = 0;
    for (size_t i = 0; i < nexits; i++) {
        if (exits[i].r.cycle < t0)
            t0 = exits[i].r.cycle;
        if (exits[i].r.cycle > tmax)
            tmax = exits[i].r.cycle;
    }
    unsigned __int128 span = (unsigned __int128)(tmax - t0) + 1;   /* >= 1 */
    enum { BINS = 60 };
    static uint64_t counts[BINS][12];
    memset(counts, 0, sizeof counts);
    for (size_t i = 0; i < nexits; i++) {
        key_ec(&exits[i], kb, sizeof kb);
        for (unsigned k = 0; k < ncls; k++)
            if (!strcmp(classes[k], kb)) {
                size_t b = (size_t)((unsigned __int128)(exits[i].r.cycle - t0) * BINS / span);
                counts[b < BINS ? b : BINS - 1][k]++;
            }
    }
    for (unsigned b = 0; b < BINS; b++) {
        fprintf(f, "%.6f", ((double)t0 + (double)span * b / BINS) / (double)hz);
        for (unsigned k = 0; k < ncls; k++)
            fprintf(f, " %" PRIu64, counts[b][k]);
        fputc('\n', f);
    }
    fclose(f);
    size_t n = strlen(path);
    bool png = n > 4 && !strcmp(path + n - 4, ".png");
    char cmd[4096];
    int off = snprintf(cmd, sizeof cmd,
                       /* noenhanced: class names such as DABT_LOWER keep
                        * their '_' (enhanced text would make it a subscript) */
                       "gnuplot -e \"set terminal %s size 1000,500 noenhanced; set output '%s'; "
                       "set xlabel 'simulated time (s)'; set ylabel 'exits per bin'; "
                       "set title 'EL2 exits per reason over time'; set key outside; plot ",
                       png ? "pngcairo" : "svg", path);
    for (unsigned k = 0; k < ncls && off < (int)sizeof cmd - 200; k++)
        off += snprintf(cmd + off, sizeof cmd - (size_t)off, "%s'%s' using 1:%u with lines title '%s'",
                        k ? ", " : "", dat, k + 2, classes[k]);
    snprintf(cmd + off, sizeof cmd - (size_t)off, "\"");
    int rc = system(cmd);
    remove(dat);
    for (unsigned k = 0; k < ncls; k++)
        free((void *)classes[k]);
    return rc == 0 ? 0 : -1;
}

static void usage(void)
{
    fprintf(stderr, "usage: arm83emu-trace FILE [--top N] [--by-vmid] [--csv OUT] [--jsonl OUT] "
                    "[--perfetto OUT] [--plot OUT.svg|OUT.png] [--kvm-abi 6.1|none] [--quiet]\n"
                    "       [--by-l2-exit] [--l2-csv OUT]   (L0 exits caused by each L2 exit)\n"
                    "       [--xen [--xen-domid VMID=DOMID]... [--xen-dom0-ppi N]]   (Xen: hypercall sub-operations,\n"
                    "       exits per domain, I/O requests through dom0; N: dom0's event-channel PPI, default 16)\n");
}

int main(int argc, char **argv)
{
    const char *in = NULL, *csv = NULL, *jsonl = NULL, *perfetto = NULL, *plot = NULL, *l2csv = NULL;
    unsigned top = 40;
    int quiet = 0, by_vmid = 0, by_l2 = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--quiet")) { quiet = 1; continue; }
        if (!strcmp(a, "--by-vmid")) { by_vmid = 1; continue; }
        if (!strcmp(a, "--by-l2-exit")) { by_l2 = 1; continue; }
        if (!strcmp(a, "--xen")) { xen_mode_set(true); continue; }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(); return 0; }
        if (a[0] == '-' && a[1] == '-') {
            if (i + 1 >= argc) { usage(); return 2; }
            const char *v = argv[++i];
            if (!strcmp(a, "--top")) top = (unsigned)strtoul(v, NULL, 0);
            else if (!strcmp(a, "--csv")) csv = v;
            else if (!strcmp(a, "--jsonl")) jsonl = v;
            else if (!strcmp(a, "--perfetto")) perfetto = v;
            else if (!strcmp(a, "--plot")) plot = v;
            else if (!strcmp(a, "--l2-csv")) l2csv = v;
            else if (!strcmp(a, "--xen-dom0-ppi")) {
                if (!xen_dom0_ppi_set(v)) {
                    fprintf(stderr, "arm83emu-trace: --xen-dom0-ppi: '%s' is not a PPI (16..31)\n", v);
                    return 2;
                }
            }
            else if (!strcmp(a, "--xen-domid")) {
                if (!xen_domid_override(v)) {
                    fprintf(stderr, "arm83emu-trace: --xen-domid: '%s' is not VMID=DOMID (VMID 1..65535, DOMID "
                                    "0..32751, at most 64 of them)\n", v);
                    return 2;
                }
            }
            else if (!strcmp(a, "--kvm-abi")) {
                if (!kvm_abi_select(v)) {
                    fprintf(stderr, "arm83emu-trace: --kvm-abi: unknown version '%s' (known: %s)\n", v,
                            kvm_abi_list());
                    return 2;
                }
            }
            else { fprintf(stderr, "arm83emu-trace: unknown option %s\n", a); usage(); return 2; }
        } else if (!in) {
            in = a;
        } else {
            usage();
            return 2;
        }
    }
    if (!in) { usage(); return 2; }
    a83_exit_reader *rd;
    char msg[256];
    a83_err err = a83_exit_reader_open_msg(in, &rd, msg, sizeof msg);
    if (err) {
        fprintf(stderr, "arm83emu-trace: %s: %s\n", in, msg[0] ? msg : a83_strerror(err));
        return 2;
    }
    uint32_t ncpus;
    uint64_t hz;
    a83_exit_reader_info(rd, &ncpus, &hz);
    if (!hz)
        hz = 1;
    a83_exit_record r;
    uint64_t nret = 0, nrec = 0;
    /* Nesting levels and L2-exit trees, re-derived from the records with
     * the recorder's own rule (a83_nest_feed): files recorded before the
     * rule existed get the same answer. */
    a83_nest *nest;
    if (a83_nest_new(&nest)) { perror("arm83emu-trace"); return 2; }
    uint64_t first_seq = 0, continued = 0;
    while ((err = a83_exit_reader_next(rd, &r)) == A83_OK) {
        if (!nrec++)
            first_seq = r.seq;
        uint64_t root = a83_nest_feed(nest, &r);
        if (xen_mode() && (!xen_runs_feed(&r) || !xen_io_feed(&r))) {
            perror("arm83emu-trace");
            a83_nest_free(nest);
            return 2;
        }
        if (r.kind == A83_EXIT_ENTRY) {
            if (nexits == cap_exits) {
                cap_exits = cap_exits ? 2 * cap_exits : 1024;
                exits = realloc(exits, cap_exits * sizeof *exits);
                if (!exits) { perror("arm83emu-trace"); a83_nest_free(nest); return 2; }
            }
            Exit *e = &exits[nexits];
            memset(e, 0, sizeof *e);
            e->r = r;
            char cb[160];
            exit_cause(&r, cb, sizeof cb);
            e->cause = intern(cb);
            e->level = r.level;
            e->root = root;
            nexits++;
        } else if (r.kind == A83_EXIT_RETURN) {
            nret++;
            /* The recorder names the entry a return ends (entry_seq): the
             * exit's guest context was re-entered, maybe on another CPU. */
            if (r.entry_seq == A83_EXIT_NO_SEQ)
                continue;
            if (r.entry_seq < first_seq) {
                /* A trace that begins after a snapshot load
                 * (docs/snapshots.md): the exit was entered before the
                 * file's first record. */
                continued++;
                continue;
            }
            size_t lo = exit_by_seq(r.entry_seq);
            if (lo == nexits || exits[lo].returned) {
                fprintf(stderr, "arm83emu-trace: %s: record %" PRIu64 " ends entry %" PRIu64
                                ", which is not an open exit: the file is corrupt\n", in, nrec - 1, r.entry_seq);
                a83_exit_reader_close(rd);
                a83_nest_free(nest);
                return 2;
            }
            Exit *e = &exits[lo];
            e->spent = r.spent;
            for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
                e->part[k] = r.part[k];
            e->ret_cycle = r.cycle;
            e->end_cpu = r.cpu;
            e->returned = true;
        }
    }
    if (err != A83_ERR_RANGE) {
        fprintf(stderr, "arm83emu-trace: %s: %s; refusing to report on it\n", in,
                err == A83_ERR_FORMAT ? a83_exit_reader_error(rd) : a83_strerror(err));
        a83_exit_reader_close(rd);
        a83_nest_free(nest);
        return 2;
    }
    a83_exit_reader_close(rd);
    a83_nest_free(nest);

    if (!quiet) {
        uint64_t total = 0, nguest = 0;
        for (size_t i = 0; i < nexits; i++)
            if (exits[i].level > 0) {
                total += exits[i].spent;
                nguest++;
            }
        printf("exit trace %s: %" PRIu64 " records, %zu exceptions to EL2, %" PRIu64
               " returns, %u CPUs\n"
               "%" PRIu64 " exits from guests, %" PRIu64 " cycles of round trips (%.6f s at %" PRIu64
               " Hz); %zu host exceptions (EL2 itself, or a host context below EL2)\n",
               in, nrec, nexits, nret, ncpus, nguest, total, (double)total / (double)hz, hz,
               nexits - (size_t)nguest);
        if (continued)
            printf("%" PRIu64 " returns end exits entered before the file's first record (a run "
                   "restored from a snapshot)\n", continued);
        printf("cycles/mean/p50/p99: round trip of an exit, from its trap to EL2 to the ERET that re-enters\n"
               "its context; el2, host-k, host-u, other, idle: the mean of its parts (EL2, host kernel, host\n"
               "user space, other guests, idle); exits that never returned count in `exits` only\n");
        print_view("By exception class", "class", key_ec, 0);
        print_view("By cause", "cause", key_cause, top);
        print_view("By CPU", "cpu", key_cpu, 0);
        print_view("By VMID", "vmid", key_vmid, 0);
        print_view("By nesting level", "level", key_level, 0);
        if (by_vmid)
            print_view("By VMID, level and cause", "vmid level cause", key_vmid_cause, top);
        if (xen_mode()) {
            print_view("By Xen domain (Xen: exceptions Xen takes in EL2 itself; dom0, dN: VMID - 1 unless "
                       "--xen-domid, docs/xen.md)", "domain", key_domain, 0);
            print_view("By Xen domain and cause", "domain cause", key_domain_cause, top);
            print_dom0_waits(top);
            xen_io_report(top);
        }
    }
    if (by_l2 || l2csv) {
        if (l2_tree_report(by_l2 ? stdout : NULL, l2csv, 8)) {
            fprintf(stderr, "arm83emu-trace: cannot write %s\n", l2csv);
            return 2;
        }
    }
    int rc = 0;
    if (csv && export_csv(csv)) { fprintf(stderr, "arm83emu-trace: cannot write %s\n", csv); rc = 2; }
    if (jsonl && export_jsonl(jsonl)) { fprintf(stderr, "arm83emu-trace: cannot write %s\n", jsonl); rc = 2; }
    if (perfetto && export_perfetto(perfetto, ncpus, hz)) {
        fprintf(stderr, "arm83emu-trace: cannot write %s\n", perfetto);
        rc = 2;
    }
    if (plot && export_plot(plot, hz)) { fprintf(stderr, "arm83emu-trace: cannot plot to %s\n", plot); rc = 2; }
    return rc;
}
