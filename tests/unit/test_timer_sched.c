/*
 * Simulated time in the scheduler (a83_run): WFI with nothing pending
 * jumps to the next timer deadline, WFE wakes on the event stream (Arm ARM
 * D11.2.3) but a WFI does not wake on a stale event register, and SMP runs
 * are deterministic. The CPUs here execute no real program: a halted CPU is
 * put in the state WFI/WFE leaves it in (c->halted), and a woken CPU runs
 * whatever the empty flash decodes to (UNDEFINED exceptions), which is
 * enough to observe time.
 */
#include "gic_test_util.h"

#define TEN_SECONDS_TICKS 625000000ull   /* 10 s at 62.5 MHz */
#define TEN_SECONDS_CYCLES 10000000000ull

static void enable_ppi(Machine *m, unsigned cpu, unsigned id)
{
    wr32(m, GICR(cpu) + SGI_BASE + 0x80, 1u << id);
    wr32(m, GICR(cpu) + SGI_BASE + 0x100, 1u << id);
}

/* A WFI sleep of 10 simulated seconds is one time jump. */
static void test_wfi_jumps_to_deadline(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, false);
    CPUState *c = m->cpu[0];
    gic_ready(m);
    enable_ppi(m, 0, 30);
    msr(c, "CNTP_CVAL_EL0", TEN_SECONDS_TICKS);
    msr(c, "CNTP_CTL_EL0", 1);
    c->halted = true;                          /* as WFI leaves it */
    a83_stop_reason why;
    assert_int_equal(a83_run(m, 20, &why), A83_OK);
    assert_int_equal(why, A83_STOP_LIMIT);
    assert_false(c->halted);
    assert_int_equal(c->irq_lines & IRQ_LINE_IRQ, IRQ_LINE_IRQ);
    /* woke exactly at the deadline, then ran 20 instructions */
    assert_true(c->cycles >= TEN_SECONDS_CYCLES);
    assert_true(c->cycles < TEN_SECONDS_CYCLES + 20 * 1000);
    assert_int_equal(c->insns, 20);
    uint64_t cnt = mrs(c, "CNTPCT_EL0");
    assert_true(cnt >= TEN_SECONDS_TICKS && cnt < TEN_SECONDS_TICKS + 20 * 1000 / 16);
    a83_machine_destroy(m);
}

/* Nothing can ever wake the CPUs: the run ends, time does not move. */
static void test_halted_forever(void **s)
{
    (void)s;
    Machine *m = mk_machine(2, false);
    m->cpu[0]->halted = m->cpu[1]->halted = true;
    m->cpu[0]->cycles = 500;
    m->now = 500;
    a83_stop_reason why;
    a83_run(m, 0, &why);
    assert_int_equal(why, A83_STOP_HALTED);
    assert_int_equal(m->now, 500);
    assert_int_equal(m->cpu[1]->cycles, 500);   /* kept in step */
    a83_machine_destroy(m);
}

/* WFE wakes on the event stream: CNTKCTL_EL1.EVNTEN, EVNTI = 4, EVNTDIR = 0
 * gives an event when counter bit 4 goes 0 -> 1: count 16 = cycle 256. */
static void test_wfe_event_stream(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, false);
    CPUState *c = m->cpu[0];
    msr(c, "CNTKCTL_EL1", (1u << 2) | (4u << 4));
    c->halted = true;                          /* WFE with the event register clear */
    assert_int_equal(timer_next_deadline(m), 256);
    a83_stop_reason why;
    a83_run(m, 5, &why);
    assert_int_equal(why, A83_STOP_LIMIT);
    assert_true(c->event_reg);
    assert_true(c->cycles >= 256 && c->cycles < 256 + 5 * 1000);
    /* EVNTDIR = 1: bit 4 going 1 -> 0, at count 32 = cycle 512 */
    c->cycles = 300;
    m->now = 300;
    msr(c, "CNTKCTL_EL1", (1u << 2) | (1u << 3) | (4u << 4));
    c->event_reg = false;
    assert_int_equal(timer_next_deadline(m), 512);
    a83_machine_destroy(m);
}

/* A WFI entered with the event register already set is not woken by it
 * (nor by the event stream); with no timer it never wakes. */
static void test_wfi_ignores_stale_event(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, false);
    CPUState *c = m->cpu[0];
    msr(c, "CNTKCTL_EL1", (1u << 2) | (4u << 4));
    c->halted = true;
    c->event_reg = true;
    c->wait_ev_stale = true;
    assert_int_equal(timer_next_deadline(m), UINT64_MAX);   /* events change nothing */
    a83_stop_reason why;
    a83_run(m, 5, &why);
    assert_int_equal(why, A83_STOP_HALTED);
    assert_int_equal(c->insns, 0);
    a83_machine_destroy(m);
}

/* One CPU runs while another sleeps in WFI: the sleeper is kept in step
 * and wakes within the slice in which its deadline falls. */
static void test_sleeper_kept_in_step(void **s)
{
    (void)s;
    Machine *m = mk_machine(2, false);
    gic_ready(m);
    enable_ppi(m, 1, 27);
    CPUState *c1 = m->cpu[1];
    msr(c1, "CNTV_CVAL_EL0", 1000);            /* cycle 16000 */
    msr(c1, "CNTV_CTL_EL0", 1);
    c1->halted = true;
    a83_stop_reason why;
    a83_run(m, 3000, &why);
    assert_int_equal(why, A83_STOP_LIMIT);
    assert_true(c1->insns > 0);                /* it woke */
    assert_true(c1->cycles >= 16000);
    a83_machine_destroy(m);
}

static void run_smp(uint64_t out[8])
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = 4;
    cfg.quantum = 37;
    Machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    gic_ready(m);
    for (unsigned i = 0; i < 4; i++) {
        CPUState *c = m->cpu[i];
        c->powered = true;
        c->el = 1;
        enable_ppi(m, i, 30);
        msr(c, "CNTP_CVAL_EL0", 100 * (i + 1));
        msr(c, "CNTP_CTL_EL0", 1);
        c->halted = (i & 1) != 0;
    }
    a83_stop_reason why;
    a83_run(m, 20000, &why);
    assert_int_equal(why, A83_STOP_LIMIT);
    for (unsigned i = 0; i < 4; i++)
        a83_cpu_counters(m, i, &out[2 * i], &out[2 * i + 1]);
    a83_machine_destroy(m);
}

/* Same inputs, same result: the interleaving depends only on the inputs. */
static void test_smp_deterministic(void **s)
{
    (void)s;
    uint64_t a[8], b[8];
    run_smp(a);
    run_smp(b);
    uint64_t total = 0;
    for (unsigned i = 0; i < 8; i++) {
        assert_int_equal(a[i], b[i]);
        if (!(i & 1))
            total += a[i];
    }
    assert_int_equal(total, 20000);
}

/* a83_set_max_cycles() ends the run within one block of the limit, not a
 * whole round after it (rounds are cut at the limit), and busy CPUs whose
 * work costs different cycles per instruction end the run with their
 * clocks within a round (here both far shorter than the 1,000,000-cycle
 * round asked for). The CPUs run the empty flash: an UNDEFINED exception
 * per instruction, each a block end. */
static void test_max_cycles_and_skew(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = 2;
    cfg.quantum = 1000000;
    Machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    m->cpu[1]->powered = true;
    m->cpu[0]->el = m->cpu[1]->el = 1;
    a83_set_max_cycles(m, 123457);
    a83_stop_reason why;
    a83_run(m, 0, &why);
    assert_int_equal(why, A83_STOP_LIMIT);
    for (unsigned i = 0; i < 2; i++) {
        uint64_t insns, cycles;
        a83_cpu_counters(m, i, &insns, &cycles);
        assert_true(insns > 0);
        assert_true(cycles >= 123457);
        assert_true(cycles < 123457 + 200);   /* one exception entry, not a round */
    }
    a83_machine_destroy(m);
}

/* Rounds that change nothing run on inside cpu_exec() (round_next(),
 * docs/timers.md "Simulated time"): one CPU taking UNDEFINED exceptions on
 * the empty flash, a physical timer due at count 1000 (16,000 cycles), a
 * 1,000-cycle quantum. With the rounds run on (the default) and without
 * (a83_debug_round_skip(m, false)) the run stops at the same instruction
 * and cycle, the timer's line rises in the same round, and the CPU left the
 * scheduler's loop only for the rounds that did change something. */
static void round_skip_cpus(unsigned ncpus)
{
    uint64_t insns[2], cycles[2], raised_at[2];
    for (int on = 0; on < 2; on++) {
        Machine *m = mk_machine(ncpus, false);
        CPUState *c = m->cpu[0];
        c->el = 1;
        gic_ready(m);
        enable_ppi(m, 0, 30);
        msr(c, "CNTP_CVAL_EL0", 1000);
        msr(c, "CNTP_CTL_EL0", 1);
        assert_int_equal(a83_debug_round_skip(m, on), A83_OK);
        a83_stop_reason why;
        raised_at[on] = 0;
        for (int k = 0; k < 400 && !raised_at[on]; k++) {   /* 100 instructions per run */
            assert_int_equal(a83_run(m, 100, &why), A83_OK);
            assert_int_equal(why, A83_STOP_LIMIT);
            if (c->irq_lines & IRQ_LINE_IRQ)
                raised_at[on] = c->cycles;
        }
        assert_true(raised_at[on] >= 16000);
        assert_true(raised_at[on] < 16000 + 100 * 200);
        assert_int_equal(a83_run(m, 20000, &why), A83_OK);
        a83_cpu_counters(m, 0, &insns[on], &cycles[on]);
        /* the runs' rounds before and after the deadline: run on in
         * cpu_exec() with one CPU, quiet ends in a83_run() with two */
        uint64_t skipped = ncpus == 1 ? m->round_skips : m->round_quiets;
        if (on)
            assert_true(skipped > 10);
        else
            assert_int_equal(skipped, 0);
        if (ncpus > 1)
            assert_int_equal(m->round_skips, 0);   /* two CPUs run: never run on */
        a83_machine_destroy(m);
    }
    assert_int_equal(insns[0], insns[1]);
    assert_int_equal(cycles[0], cycles[1]);
    assert_int_equal(raised_at[0], raised_at[1]);
}

/* Which MRS mark the round dirty (cpu/sys_reg.c sysreg_sched_class()): a
 * read of ICH_ELRSR_EL2 or ICC_HPPIR1_EL1 only computes, so a round in
 * which a hypervisor's world switch reads them may still end quietly; the
 * acknowledge, ICC_IAR1_EL1 (GICv3 spec 4.1.1: pending -> active), marks it
 * even when it returns the spurious INTID; MSR ICH_HCR_EL2 (a write) marks it,
 * MSR VBAR_EL1 (CRn = 12 too, which a world switch writes) does not.
 * Executed at EL2 from RAM by a83_step(). */
static void note_dirty(a83_machine *m, const a83_hook_event *ev, void *opaque)
{
    int *seen = opaque;
    seen[(ev->pc - 0x40000000ull) / 4 % 5] = m->sched_dirty;
}

static void test_gic_reads_dirty(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0xd53ccba0u,  /* mrs x0, ich_elrsr_el2 */
        0xd538cc41u,  /* mrs x1, icc_hppir1_el1 */
        0xd538cc02u,  /* mrs x2, icc_iar1_el1 */
        0xd51ccb1fu,  /* msr ich_hcr_el2, xzr */
        0xd518c003u,  /* msr vbar_el1, x3 (CRn = 12, not the GIC) */
    };
    Machine *m = mk_machine(1, true);
    CPUState *c = m->cpu[0];
    gic_ready(m);
    assert_int_equal(a83_phys_write(m, 0x40000000ull, code, sizeof code), A83_OK);
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PSTATE, 0x3c9), A83_OK);   /* EL2h */
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, 0x40000000ull), A83_OK);
    /* the hook runs inside the instruction, after its marking (a83_step()
     * then ends the step as a round end would, which marks it) */
    a83_hook h;
    int seen[5] = { -1, -1, -1, -1, -1 };
    assert_int_equal(a83_hook_add(m, A83_HOOK_SYSREG, note_dirty, seen, 1, 0, &h), A83_OK);
    static const int dirty[5] = { 0, 0, 1, 1, 0 };
    for (int i = 0; i < 5; i++) {
        m->sched_dirty = false;
        assert_int_equal(a83_step(m, 0), A83_OK);
        assert_int_equal(c->pc, 0x40000000ull + 4 * (i + 1));   /* executed, no exception */
        assert_int_equal(seen[i], dirty[i]);
    }
    uint64_t iar;
    assert_int_equal(a83_reg_read(m, 0, A83_REG_X0 + 2, &iar), A83_OK);
    assert_int_equal(iar, 1023);   /* nothing pending: spurious */
    a83_machine_destroy(m);
}

static void test_round_skip(void **s)
{
    (void)s;
    round_skip_cpus(1);
    assert_int_equal(a83_debug_round_skip(NULL, true), A83_ERR_ARG);
}

/* The same with two CPUs running (both on the empty flash): the ends of
 * rounds in which several CPUs ran that change nothing but the clocks are
 * quiet (a83_run() round_quiet(): the modules are not asked again), and
 * the run is the one with every round ended in full. */
static void test_round_quiet(void **s)
{
    (void)s;
    round_skip_cpus(2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wfi_jumps_to_deadline), cmocka_unit_test(test_halted_forever),
        cmocka_unit_test(test_wfe_event_stream),      cmocka_unit_test(test_wfi_ignores_stale_event),
        cmocka_unit_test(test_sleeper_kept_in_step),  cmocka_unit_test(test_smp_deterministic),
        cmocka_unit_test(test_max_cycles_and_skew),   cmocka_unit_test(test_round_skip),
        cmocka_unit_test(test_round_quiet),
        cmocka_unit_test(test_gic_reads_dirty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
