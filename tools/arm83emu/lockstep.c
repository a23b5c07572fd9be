/*
 * -accel jit,lockstep=...: the translator against the interpreter on a whole
 * run (lockstep.h). Issue 16 part 3: "a lockstep mode compares architectural
 * state after every translated block against the interpreter and stops at
 * the first difference with both states printed".
 */
#include "lockstep.h"

#include <stdio.h>
#include <string.h>

/* One CPU's architectural state and counters. */
typedef struct CpuSnap {
    uint64_t r[A83_REG__COUNT], insns, cycles;
} CpuSnap;

static void cpu_snap(a83_machine *m, unsigned cpu, CpuSnap *s)
{
    for (unsigned r = 0; r < A83_REG__COUNT; r++)
        if (a83_reg_read(m, cpu, (a83_reg)r, &s->r[r]) != A83_OK)
            s->r[r] = 0;
    a83_cpu_counters(m, cpu, &s->insns, &s->cycles);
}

static const char *reg_name(unsigned r, char buf[8])
{
    static const char *const names[] = { "sp", "pc", "pstate", "sp_el0", "sp_el1", "sp_el2",
                                         "nzcv", "fpcr", "fpsr" };
    if (r <= 30) {
        snprintf(buf, 8, "x%u", r);
        return buf;
    }
    return r - 31 < sizeof names / sizeof names[0] ? names[r - 31] : "?";
}

/* Both engines' states side by side, every register, differences marked. */
static void print_snaps(const char *prog, unsigned cpu, const CpuSnap *j, const CpuSnap *i)
{
    char buf[8];
    fprintf(stderr, "%s: lockstep cpu%u %-8s %-18s %-18s\n", prog, cpu, "", "jit", "interp");
    for (unsigned r = 0; r < A83_REG__COUNT; r++)
        fprintf(stderr, "%s: lockstep cpu%u %-8s %016llx   %016llx%s\n", prog, cpu, reg_name(r, buf),
                (unsigned long long)j->r[r], (unsigned long long)i->r[r],
                j->r[r] != i->r[r] ? "   <- differs" : "");
    fprintf(stderr, "%s: lockstep cpu%u %-8s %-18llu %-18llu%s\n", prog, cpu, "insns",
            (unsigned long long)j->insns, (unsigned long long)i->insns, j->insns != i->insns ? "<- differs" : "");
    fprintf(stderr, "%s: lockstep cpu%u %-8s %-18llu %-18llu%s\n", prog, cpu, "cycles",
            (unsigned long long)j->cycles, (unsigned long long)i->cycles,
            j->cycles != i->cycles ? "<- differs" : "");
}

static uint64_t total_insns(a83_machine *m, unsigned ncpus)
{
    uint64_t sum = 0, n;
    for (unsigned i = 0; i < ncpus; i++) {
        a83_cpu_counters(m, i, &n, NULL);
        sum += n;
    }
    return sum;
}

a83_stop_reason lockstep_run(const LockstepOpts *lo, a83_machine *m, a83_machine *sh, uint64_t *done,
                             volatile sig_atomic_t *interrupted, bool *differ)
{
    a83_stop_reason w1 = A83_STOP_NONE, w2 = A83_STOP_NONE;
    bool flip = lo->flip != 0;
    *differ = false;
    for (;;) {
        uint64_t slice = lo->block ? LOCKSTEP_BLOCK_SLICE : lo->every, blk = 0, blk_pc = 0;
        if (lo->block && lo->ncpus == 1 && a83_jit_block_len(m, 0, &blk) == A83_OK && blk) {
            slice = blk;
            a83_reg_read(m, 0, A83_REG_PC, &blk_pc);
        }
        if (lo->max_insns && lo->max_insns - *done < slice) {
            slice = lo->max_insns - *done;
            blk = 0;
        }
        uint64_t before = total_insns(m, lo->ncpus);
        a83_run(m, slice, &w1);
        a83_run(sh, slice, &w2);
        *done += total_insns(m, lo->ncpus) - before;
        if (flip && *done >= lo->flip) {
            /* --debug-lockstep-flip: a wrong value, as a faulty block would leave it */
            uint64_t x0 = 0;
            a83_reg_read(m, 0, A83_REG_X0, &x0);
            a83_reg_write(m, 0, A83_REG_X0, x0 ^ 1);
            flip = false;
        }
        bool bad = w1 != w2;
        uint64_t dc1 = 0, dt1 = 0, dc2 = 0, dt2 = 0;
        if (lo->digest) {
            a83_digests(m, &dc1, &dt1);
            a83_digests(sh, &dc2, &dt2);
            bad |= dc1 != dc2 || dt1 != dt2;
        }
        CpuSnap a[A83_MAX_CPUS], b[A83_MAX_CPUS];
        for (unsigned i = 0; i < lo->ncpus; i++) {
            cpu_snap(m, i, &a[i]);
            cpu_snap(sh, i, &b[i]);
            bad |= memcmp(&a[i], &b[i], sizeof a[i]) != 0;
        }
        if (bad) {
            fflush(stdout);
            fprintf(stderr, "%s: lockstep: -accel jit and -accel interp differ after %llu instructions, ",
                    lo->prog, (unsigned long long)*done);
            if (blk)
                fprintf(stderr, "at the end of the translated block at %016llx (%llu instructions)\n",
                        (unsigned long long)blk_pc, (unsigned long long)blk);
            else
                fprintf(stderr, "at the end of a slice of %llu instructions\n", (unsigned long long)slice);
            fprintf(stderr, "%s: lockstep: stop reasons jit %d interp %d; digests jit %016llx %016llx, "
                    "interp %016llx %016llx\n", lo->prog, (int)w1, (int)w2, (unsigned long long)dc1,
                    (unsigned long long)dt1, (unsigned long long)dc2, (unsigned long long)dt2);
            for (unsigned i = 0; i < lo->ncpus; i++)
                print_snaps(lo->prog, i, &a[i], &b[i]);
            *differ = true;
            return w1;
        }
        if (w1 != A83_STOP_LIMIT || (lo->max_insns && *done >= lo->max_insns) || *interrupted ||
            (lo->max_cycles && a83_now(m) >= lo->max_cycles))
            return w1;
    }
}
