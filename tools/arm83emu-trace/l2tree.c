/*
 * arm83emu-trace --by-l2-exit / --l2-csv: the tree of L0 exits that each L2
 * exit caused (docs/exit-trace.md, "L2-exit trees"). A tree is the L2 exit
 * itself and every exit of its guest hypervisor's context (the reflected
 * exception's handling: trapped EL2 register accesses, the ERET back to
 * L2, ...) until L0 re-enters the L2 context; a83_nest_feed() assigned each
 * exit's tree (Exit.root). Only trees whose L2 exit ended (the L2 context
 * ran again) count in the per-L2-exit means: the others are incomplete.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "exits.h"

typedef struct Inner {
    uint32_t cause;
    uint64_t count, cycles;
} Inner;

typedef struct L2Group {
    uint32_t cause;                  /* the L2 exit's cause */
    uint64_t n, complete;            /* L2 exits; those whose tree ended */
    uint64_t l0_exits;               /* exits in complete trees, the L2 exits included */
    uint64_t round_trip;             /* sum of complete L2 exits' round trips */
    uint64_t inner_cycles;           /* sum of the guest hypervisor's exits' round trips */
    Inner *in;
    size_t nin, capin;
} L2Group;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        perror("arm83emu-trace");
        exit(2);
    }
    return p;
}

static void inner_add(L2Group *g, uint32_t cause, uint64_t cycles)
{
    for (size_t i = 0; i < g->nin; i++)
        if (g->in[i].cause == cause) {
            g->in[i].count++;
            g->in[i].cycles += cycles;
            return;
        }
    if (g->nin == g->capin) {
        g->capin = g->capin ? 2 * g->capin : 16;
        g->in = xrealloc(g->in, g->capin * sizeof *g->in);
    }
    g->in[g->nin++] = (Inner){ cause, 1, cycles };
}

static int cmp_group(const void *a, const void *b)
{
    const L2Group *x = a, *y = b;
    if (x->round_trip != y->round_trip)
        return x->round_trip < y->round_trip ? 1 : -1;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(causes[x->cause], causes[y->cause]);
}

static int cmp_inner(const void *a, const void *b)
{
    const Inner *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    if (x->cycles != y->cycles)
        return x->cycles < y->cycles ? 1 : -1;
    return strcmp(causes[x->cause], causes[y->cause]);
}

static double per(uint64_t x, uint64_t n) { return n ? (double)x / (double)n : 0.0; }

int l2_tree_report(FILE *txt, const char *csv_path, unsigned top)
{
    L2Group *gs = NULL, all = { 0 };
    size_t ng = 0;
    /* Each root's group (+1; 0 = not a complete root). */
    uint32_t *gof = xrealloc(NULL, nexits * sizeof *gof);
    for (size_t i = 0; i < nexits; i++) {
        const Exit *e = &exits[i];
        gof[i] = 0;
        if (e->root != e->r.seq)
            continue;
        size_t k;
        for (k = 0; k < ng && gs[k].cause != e->cause; k++)
            ;
        if (k == ng) {
            gs = xrealloc(gs, (ng + 1) * sizeof *gs);
            memset(&gs[ng], 0, sizeof gs[ng]);
            gs[ng++].cause = e->cause;
        }
        L2Group *g = &gs[k];
        g->n++;
        all.n++;
        if (e->returned) {
            g->complete++;
            g->l0_exits++;
            g->round_trip += e->spent;
            all.complete++;
            all.l0_exits++;
            all.round_trip += e->spent;
            gof[i] = (uint32_t)k + 1;
        }
    }
    for (size_t i = 0; i < nexits; i++) {
        const Exit *e = &exits[i];
        if (e->root == A83_EXIT_NO_SEQ || e->root == e->r.seq)
            continue;
        size_t ri = exit_by_seq(e->root);
        if (ri == nexits || !gof[ri])
            continue;
        L2Group *g = &gs[gof[ri] - 1];
        g->l0_exits++;
        g->inner_cycles += e->spent;
        inner_add(g, e->cause, e->spent);
        all.l0_exits++;
        all.inner_cycles += e->spent;
        inner_add(&all, e->cause, e->spent);
    }
    free(gof);
    if (ng > 1)
        qsort(gs, ng, sizeof *gs, cmp_group);
    for (size_t k = 0; k < ng; k++)
        if (gs[k].nin > 1)
            qsort(gs[k].in, gs[k].nin, sizeof *gs[k].in, cmp_inner);
    if (all.nin > 1)
        qsort(all.in, all.nin, sizeof *all.in, cmp_inner);

    if (txt) {
        fprintf(txt, "\nBy L2 exit: each L2 exit's tree of L0 exits (the L2 exit and its guest hypervisor's exits\n"
                     "until L0 re-enters L2); means over complete trees (the L2 context ran again)\n");
        fprintf(txt, "%10s %10s %12s %14s %16s  %s\n", "L2 exits", "complete", "L0/L2 exit", "cycles/L2 exit",
                "L1-exit cyc/L2", "L2 exit cause");
        for (size_t k = 0; k <= ng; k++) {
            const L2Group *g = k == 0 ? &all : &gs[k - 1];
            if (k == 0 && !ng)
                break;
            fprintf(txt, "%10" PRIu64 " %10" PRIu64 " %12.2f %14.0f %16.0f  %s\n", g->n, g->complete,
                    per(g->l0_exits, g->complete), per(g->round_trip, g->complete),
                    per(g->inner_cycles, g->complete), k == 0 ? "(all L2 exits)" : causes[g->cause]);
            for (size_t j = 0; j < g->nin && j < top; j++)
                fprintf(txt, "%10s %10s %12.2f %14.0f %16s    in tree: %s\n", "", "",
                        per(g->in[j].count, g->complete), per(g->in[j].cycles, g->in[j].count), "",
                        causes[g->in[j].cause]);
            if (g->nin > top)
                fprintf(txt, "%10s %10s %12s %14s %16s    in tree: (%zu more causes)\n", "", "", "", "", "",
                        g->nin - top);
        }
        if (!ng)
            fprintf(txt, "%10s  no L2 exits (no guest ran under a guest hypervisor)\n", "0");
    }
    int rc = 0;
    if (csv_path) {
        FILE *f = fopen(csv_path, "w");
        if (!f) {
            rc = -1;
        } else {
            /* One row per L2 exit cause (inner_cause empty), then one per
             * cause inside its trees. */
            fprintf(f, "l2_cause,l2_exits,complete,l0_exits,l0_exits_per_l2_exit,round_trip_cycles,"
                       "cycles_per_l2_exit,inner_cause,inner_exits,inner_per_l2_exit,inner_cycles\n");
            for (size_t k = 0; k <= ng; k++) {
                const L2Group *g = k == 0 ? &all : &gs[k - 1];
                if (k == 0 && !ng)
                    break;
                const char *name = k == 0 ? "(all L2 exits)" : causes[g->cause];
                for (size_t j = 0; j <= g->nin; j++) {
                    csv_str(f, name);
                    fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.4f,%" PRIu64 ",%.1f,", g->n, g->complete,
                            g->l0_exits, per(g->l0_exits, g->complete), g->round_trip,
                            per(g->round_trip, g->complete));
                    if (j == 0) {
                        fprintf(f, "\"\",0,0,0\n");
                    } else {
                        const Inner *in = &g->in[j - 1];
                        csv_str(f, causes[in->cause]);
                        fprintf(f, ",%" PRIu64 ",%.4f,%" PRIu64 "\n", in->count, per(in->count, g->complete),
                                in->cycles);
                    }
                }
            }
            if (fclose(f))
                rc = -1;
        }
    }
    for (size_t k = 0; k < ng; k++)
        free(gs[k].in);
    free(gs);
    free(all.in);
    return rc;
}
