/*
 * The system counter, the timers' interrupt outputs, the event streams and
 * the module entry points timer_init/timer_destroy/timer_advance/
 * timer_next_deadline (Arm ARM D11.1 system counter, D11.2 timers, D11.2.3
 * event streams).
 *
 * A timer condition is met when (count - offset) - CVAL >= 0 as an unsigned
 * comparison (Arm ARM D11.2.4: "CompareValue ... the timer condition is
 * met when CNTxCT - CVAL >= 0", treated as 64-bit unsigned). ISTATUS is
 * that condition while ENABLE is set; the PPI is ISTATUS and not IMASK.
 */
#include <stdlib.h>

#include "core/modules.h"
#include "core/snapio.h"
#include "el2/ecv.h"
#include "timer/timer_internal.h"

/* Sysreg slots and PPIs of the four timers */
static const uint16_t ctl_slot[TIMER__COUNT] = { SR_CNTP_CTL_EL0, SR_CNTV_CTL_EL0,
                                                 SR_CNTHP_CTL_EL2, SR_CNTHV_CTL_EL2 };
static const uint16_t cval_slot[TIMER__COUNT] = { SR_CNTP_CVAL_EL0, SR_CNTV_CVAL_EL0,
                                                  SR_CNTHP_CVAL_EL2, SR_CNTHV_CVAL_EL2 };
static const uint8_t timer_ppi[TIMER__COUNT] = { PPI_PHYS_TIMER, PPI_VIRT_TIMER, PPI_HYP_TIMER,
                                                 PPI_HYP_VIRT_TIMER };

uint64_t timer_count_at(const Machine *m, uint64_t cycles)
{
    /* the usual case (1 GHz / 62.5 MHz = 16): a shift; cnt_ratio and
     * cnt_shift are derived from the configuration by timer_init() */
    if (m->cnt_ratio)
        return m->cnt_ratio == 1ull << m->cnt_shift ? cycles >> m->cnt_shift
                                                    : cycles / m->cnt_ratio;
    return (uint64_t)(((unsigned __int128)cycles * m->cfg.cntfrq_hz) / m->cfg.cpu_hz);
}

uint64_t timer_cycles_for_count(const Machine *m, uint64_t cnt)
{
    /* smallest t with floor(t * frq / hz) >= cnt, i.e. t = ceil(cnt * hz / frq) */
    uint64_t hz = m->cfg.cpu_hz, frq = m->cfg.cntfrq_hz;
    unsigned __int128 t;
    if (m->cnt_ratio)
        t = (unsigned __int128)cnt * m->cnt_ratio;
    else
        t = ((unsigned __int128)cnt * hz + frq - 1) / frq;
    return t > UINT64_MAX ? UINT64_MAX : (uint64_t)t;
}

uint64_t timer_phys_count(const CPUState *c) { return timer_count_at(c->m, c->cycles); }

uint64_t timer_offset(const CPUState *c, enum TimerId t)
{
    /* The EL1 virtual timer counts CNTPCT - CNTVOFF_EL2. The EL2 virtual
     * timer (FEAT_VHE) is the EL2&0 host's timer, for which the virtual
     * offset is treated as zero (see docs/timers.md). */
    if (t == TIMER_VIRT && has_feat(c, FEAT_EL2))
        return c->sr[SR_CNTVOFF_EL2];
    /* FEAT_ECV: the EL1 physical timer counts CNTPCT - CNTPOFF_EL2 while
     * CNTHCTL_EL2.ECV = 1 outside the EL2&0 host regime (src/el2/ecv.c). */
    if (t == TIMER_PHYS)
        return el2_ecv_phys_offset(c);
    return 0;
}

static bool timer_exists(const CPUState *c, enum TimerId t)
{
    if (t == TIMER_HYP)
        return has_feat(c, FEAT_EL2);
    if (t == TIMER_HYPVIRT)
        return has_feat(c, FEAT_VHE);
    return true;
}

/* ISTATUS of timer t at physical count pc */
static bool condition_met(const CPUState *c, enum TimerId t, uint64_t pc)
{
    uint64_t ctl = c->sr[ctl_slot[t]];
    if (!(ctl & CNT_CTL_ENABLE))
        return false;
    return pc - timer_offset(c, t) >= c->sr[cval_slot[t]];
}

static void drive(CPUState *c, uint64_t pc)
{
    for (int t = 0; t < TIMER__COUNT; t++) {
        if (!timer_exists(c, (enum TimerId)t))
            continue;
        bool level = condition_met(c, (enum TimerId)t, pc) &&
                     !(c->sr[ctl_slot[t]] & CNT_CTL_IMASK);
        gic_set_irq(c->m, timer_ppi[t], level, c->index);
    }
}

void timer_update_cpu(CPUState *c)
{
    machine_sched_dirty(c->m);   /* a register changed: the deadline may have moved */
    drive(c, timer_phys_count(c));
}

uint64_t timer_ctl_value(const CPUState *c, enum TimerId t)
{
    uint64_t ctl = c->sr[ctl_slot[t]] & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
    if (condition_met(c, t, timer_phys_count(c)))
        ctl |= CNT_CTL_ISTATUS;
    return ctl;
}

/* ---- Event streams (Arm ARM D11.2.3) ----------------------------------------- */

/* The first count k > x at which bit n of the counter makes the transition
 * selected by dir (0: 0 -> 1, 1: 1 -> 0). */
static uint64_t next_event_count(uint64_t x, unsigned n, bool dir)
{
    uint64_t period = 2ull << n;   /* n <= 23 (FEAT_ECV EVNTIS) */
    uint64_t target = dir ? 0 : (1ull << n);
    uint64_t k = (x & ~(period - 1)) + target;   /* period: a power of two */
    if (k <= x)
        k += period;
    return k;
}

/* The two event streams of a CPU: from CNTKCTL_EL1 on the virtual count and
 * from CNTHCTL_EL2 on the physical count. Returns the control value and the
 * offset; false if the stream is off. */
static bool event_stream(const CPUState *c, int which, uint64_t *ctl, uint64_t *off)
{
    if (which == 0) {
        *ctl = c->sr[SR_CNTKCTL_EL1];
        *off = has_feat(c, FEAT_EL2) ? c->sr[SR_CNTVOFF_EL2] : 0;
    } else {
        if (!has_feat(c, FEAT_EL2))
            return false;
        *ctl = c->sr[SR_CNTHCTL_EL2];
        *off = 0;
    }
    return (*ctl & CNTKCTL_EVNTEN) != 0;
}

static uint64_t stream_next_cycles(const CPUState *c, int which, uint64_t from_cycles)
{
    uint64_t ctl, off;
    if (!event_stream(c, which, &ctl, &off))
        return UINT64_MAX;
    unsigned n = (ctl >> CNTKCTL_EVNTI_SHIFT) & 15;
    /* FEAT_ECV: EVNTIS selects counter bits [23:8] instead of [15:0] */
    if (has_feat(c, FEAT_ECV) && (ctl & CNTKCTL_EVNTIS))
        n += 8;
    uint64_t now = timer_count_at(c->m, from_cycles) - off;
    uint64_t k = next_event_count(now, n, ctl & CNTKCTL_EVNTDIR);
    return timer_cycles_for_count(c->m, k + off);
}

static void event_streams_advance(CPUState *c)
{
    TimerCPU *tc = c->timer;
    for (int w = 0; w < 2; w++)
        if (stream_next_cycles(c, w, tc->ev_last_cycles) <= c->cycles) {
            c->event_reg = true;   /* an event: wakes WFE (Arm ARM D1.16.1) */
            break;
        }
    tc->ev_last_cycles = c->cycles;
}

/* ---- Module entry points ---------------------------------------------------- */

a83_err timer_init(Machine *m)
{
    uint64_t hz = m->cfg.cpu_hz, frq = m->cfg.cntfrq_hz;
    m->cnt_ratio = hz % frq == 0 ? hz / frq : 0;
    m->cnt_shift = m->cnt_ratio ? (unsigned)__builtin_ctzll(m->cnt_ratio) : 0;
    for (unsigned i = 0; i < m->ncpus; i++) {
        TimerCPU *tc = calloc(1, sizeof *tc);
        if (!tc)
            return A83_ERR_NOMEM;
        tc->cntfrq = (uint32_t)m->cfg.cntfrq_hz;
        m->cpu[i]->timer = tc;
    }
    return A83_OK;
}

void timer_destroy(Machine *m)
{
    for (unsigned i = 0; i < m->ncpus; i++)
        if (m->cpu[i]) {
            free(m->cpu[i]->timer);
            m->cpu[i]->timer = NULL;
        }
}

void timer_advance(Machine *m)
{
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *c = m->cpu[i];
        if (!c->powered)
            continue;
        drive(c, timer_phys_count(c));
        event_streams_advance(c);
    }
}

bool timer_round_skippable(const Machine *m)
{
    /* FEAT_ECV: with CNTHCTL_EL2.ECV the EL1 physical timer's offset
     * depends on the regime (el2_ecv_phys_offset()), which changes without
     * a timer register write */
    for (unsigned i = 0; i < m->ncpus; i++) {
        const CPUState *c = m->cpu[i];
        if (c->powered && has_feat(c, FEAT_ECV) && (c->sr[SR_CNTHCTL_EL2] & CNTHCTL_ECV))
            return false;
    }
    return true;
}

void timer_skip_round(Machine *m)
{
    /* timer_advance() before the next deadline: the lines keep their
     * levels and no stream event fell in the round (the deadline covers
     * the streams of every CPU whose event register is clear; a set one
     * stays set), so only the evaluation point moves */
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *c = m->cpu[i];
        if (c->powered) {
            TimerCPU *tc = c->timer;
            tc->ev_last_cycles = c->cycles;
        }
    }
}

uint64_t timer_next_deadline(Machine *m)
{
    uint64_t best = UINT64_MAX;
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *c = m->cpu[i];
        if (!c->powered)
            continue;
        uint64_t pc = timer_phys_count(c);
        for (int t = 0; t < TIMER__COUNT; t++) {
            if (!timer_exists(c, (enum TimerId)t) || !(c->sr[ctl_slot[t]] & CNT_CTL_ENABLE) ||
                condition_met(c, (enum TimerId)t, pc))
                continue;   /* off, or already firing: no future change */
            uint64_t target = c->sr[cval_slot[t]] + timer_offset(c, (enum TimerId)t);
            if (target < c->sr[cval_slot[t]])
                continue;   /* beyond the 64-bit physical count: never */
            uint64_t at = timer_cycles_for_count(m, target);
            if (at < best)
                best = at;
        }
        /* Event streams matter only while the event register is clear. */
        if (!c->event_reg)
            for (int w = 0; w < 2; w++) {
                uint64_t at = stream_next_cycles(c, w, c->cycles);
                if (at < best)
                    best = at;
            }
    }
    return best;
}

/* ---- Snapshots (section "TIMR", docs/snapshots.md) --------------------------
 * The timers' registers are system registers (saved with the CPU); their
 * own state is the event-stream evaluation point and CNTFRQ_EL0. */
a83_err timer_snap_save(Machine *m, SnapWriter *w)
{
    snap_u32(w, m->ncpus);
    for (unsigned i = 0; i < m->ncpus; i++) {
        const TimerCPU *tc = m->cpu[i]->timer;
        snap_u64(w, tc->ev_last_cycles);
        snap_u64(w, tc->cntfrq);
    }
    return A83_OK;
}

void timer_snap_load(Machine *m, SnapReader *r)
{
    uint32_t n = snap_get_u32(r);
    if (!r->err && n != m->ncpus) {
        snap_fail(r, "%u CPUs, this machine has %u", n, m->ncpus);
        return;
    }
    uint64_t ev[A83_MAX_CPUS], frq[A83_MAX_CPUS];
    for (unsigned i = 0; i < m->ncpus; i++) {
        ev[i] = snap_get_u64(r);
        frq[i] = snap_get_u64(r);
    }
    if (!snap_commit(r))
        return;
    for (unsigned i = 0; i < m->ncpus; i++) {
        TimerCPU *tc = m->cpu[i]->timer;
        tc->ev_last_cycles = ev[i];
        tc->cntfrq = frq[i];
    }
}
