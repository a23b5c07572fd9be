/*
 * Time control for embedders (arm83emu.h "Time control",
 * docs/embedding.md "Time"): machine time, the next event, running the
 * machine or one CPU for a number of cycles.
 *
 * a83_run_cycles() is a83_run() with a cycle limit at the end of the
 * window: the scheduler (machine.c) keeps the only limit check.
 * a83_cpu_run_cycles() runs one CPU in slices that end, like the
 * scheduler's rounds, at the first block end at or past the slice's end
 * (CPUState.cycle_limit), so a window ends at the first block end at or
 * past its end (docs/embedding.md "Time" has the rule and the bound). Only
 * simulated cycles are consulted, so the same calls in the same order give
 * the same results (DESIGN.md section 1).
 */
#include "core/hooks.h"
#include "core/machine.h"
#include "core/modules.h"
#include "cpu/exec.h"

uint64_t a83_now(const a83_machine *m) { return m ? m->now : 0; }

uint64_t a83_next_event(const a83_machine *m)
{
    return m ? modules_next_event((Machine *)m) : UINT64_MAX;
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a + b < a ? UINT64_MAX : a + b; }

/* Lets machine time pass to t with every CPU waiting: halted CPUs follow,
 * device time is brought up to t. */
static void idle_until(Machine *m, uint64_t t)
{
    if (t > m->now)
        m->now = t;
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *c = m->cpu[i];
        if (c->powered && c->halted && c->cycles < m->now)
            c->cycles = m->now;
    }
    modules_advance_time(m);
}

a83_err a83_run_cycles(a83_machine *m, uint64_t cycles, uint64_t *used, a83_stop_reason *why)
{
    if (!m || !cycles)
        return A83_ERR_ARG;
    uint64_t start = m->now, saved = m->max_cycles;
    uint64_t end = sat_add(start, cycles);
    m->max_cycles = (saved && saved < end) ? saved : end;
    a83_stop_reason r = A83_STOP_NONE;
    a83_err err = a83_run(m, 0, &r);
    uint64_t lim = m->max_cycles;
    m->max_cycles = saved;
    if (!err && r == A83_STOP_HALTED && m->now < lim) {
        /* Every CPU waits and no device event is scheduled: the window's
         * time passes (a host device may raise an interrupt later). */
        bool any_powered = false;
        for (unsigned i = 0; i < m->ncpus; i++)
            any_powered |= m->cpu[i]->powered;
        if (any_powered && lim != UINT64_MAX) {
            idle_until(m, lim);
            r = A83_STOP_LIMIT;
        }
    }
    if (used)
        *used = m->now - start;
    if (why)
        *why = r;
    return err;
}

a83_err a83_cpu_run_cycles(a83_machine *m, unsigned cpu, uint64_t cycles, uint64_t *used,
                           a83_stop_reason *why)
{
    if (!m || cpu >= m->ncpus || !cycles)
        return A83_ERR_ARG;
    CPUState *c = m->cpu[cpu];
    if (!c->powered)
        return A83_ERR_STATE;
    m->stop_reason = A83_STOP_NONE;
    m->stop_req = false;
    m->round_open = false;   /* lockstep runs have no machine rounds */
    uint64_t start = c->cycles, target = sat_add(start, cycles);
    for (;;) {
        if (c->halted) {
            if (c->cycles > m->now)
                m->now = c->cycles;
            modules_advance_time(m);   /* events due now may wake it */
            if (!machine_cpu_wakes(c)) {
                hooks_idle(m, modules_next_event(m));
                if (m->stop_req) {
                    m->stop_reason = A83_STOP_REQUEST;
                    break;
                }
                if (machine_cpu_wakes(c))
                    continue;
                /* the wait passes time up to the next event or the end */
                uint64_t next = modules_next_event(m);
                uint64_t t = (next > c->cycles && next < target) ? next : target;
                c->cycles = t;
                if (t > m->now)
                    m->now = t;
                modules_advance_time(m);
                if (c->cycles >= target) {
                    m->stop_reason = A83_STOP_LIMIT;
                    break;
                }
                continue;
            }
            c->halted = false;
        }
        /* Slice: up to the quantum, cut at the next device event and at
         * the window's end. cpu_exec() returns at the first block end at
         * which c->cycles >= slice_end (CPUState.cycle_limit); the
         * instruction budget is not what ends it (it only bounds a slice
         * in a profile with zero-cost classes), so the window ends at the
         * first block end at or past `target` whatever the slices were. */
        uint64_t slice_end = sat_add(c->cycles, m->cfg.quantum);
        if (slice_end > target)
            slice_end = target;
        uint64_t deadline = modules_next_event(m);
        if (deadline > c->cycles && deadline < slice_end)
            slice_end = deadline;
        cpu_set_budget(c, INT32_MAX);
        c->cycle_limit = slice_end;
        c->in_block = false;    /* slices end at block ends only */
        __atomic_store_n(&c->exit_req, 0, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&m->stop_req, __ATOMIC_SEQ_CST)) {
            c->cycle_limit = UINT64_MAX;
            m->stop_reason = A83_STOP_REQUEST;
            break;
        }
        cpu_exec(c);
        c->cycle_limit = UINT64_MAX;
        if (c->halted)
            c->wait_ev_stale = c->event_reg;
        if (c->cycles > m->now)
            m->now = c->cycles;
        modules_advance_time(m);
        if (m->stop_reason)
            break;
        if (m->stop_req) {
            m->stop_reason = A83_STOP_REQUEST;
            break;
        }
        if (!c->powered) {
            m->stop_reason = A83_STOP_HALTED;   /* PSCI CPU_OFF of itself */
            break;
        }
        if (c->cycles >= target) {
            m->stop_reason = A83_STOP_LIMIT;
            break;
        }
    }
    if (used)
        *used = c->cycles - start;
    if (why)
        *why = m->stop_reason;
    return A83_OK;
}

a83_err a83_cpu_stall(a83_machine *m, unsigned cpu, uint64_t cycles)
{
    if (!m || cpu >= m->ncpus)
        return A83_ERR_ARG;
    CPUState *c = m->cpu[cpu];
    c->cycles = sat_add(c->cycles, cycles);
    if (!c->in_run && c->cycles > m->now)
        m->now = c->cycles;   /* between runs: machine time follows at once */
    return A83_OK;
}
