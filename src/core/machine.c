/*
 * Machine lifetime, the physical memory map and the deterministic
 * round-robin scheduler (DESIGN.md section 1).
 */
#include "core/machine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "core/hooks.h"
#include "core/modules.h"
#include "cpu/exception.h"
#include "cpu/exec.h"
#include "jit/jit.h"
#include "mmu/mmu.h"
#include "sysreg/sysreg.h"

static const char *const err_text[A83_ERR__COUNT] = {
    [A83_OK] = "success",
    [A83_ERR_NOMEM] = "out of host memory",
    [A83_ERR_ARG] = "invalid argument",
    [A83_ERR_IO] = "file could not be read",
    [A83_ERR_FORMAT] = "corrupt, truncated or unrecognised file format",
    [A83_ERR_RANGE] = "address range outside guest RAM",
    [A83_ERR_OVERLAP] = "image overlaps MMIO or another image",
    [A83_ERR_UNKNOWN_REG] = "unknown register",
    [A83_ERR_STATE] = "operation not valid in the current machine state",
    [A83_ERR_UNMAPPED] = "physical address not backed by memory",
    [A83_ERR_CONFIG] = "invalid configuration",
    [A83_ERR_UNSUPPORTED] = "feature not implemented",
};

const char *a83_strerror(a83_err err)
{
    if ((unsigned)err < A83_ERR__COUNT && err_text[err])
        return err_text[err];
    return "unknown error";
}

void machine_set_error(Machine *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->errbuf, sizeof m->errbuf, fmt, ap);
    va_end(ap);
}

const char *a83_last_error(const a83_machine *m)
{
    return m ? m->errbuf : "no machine";
}

void a83_config_default(a83_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->ncpus = 1;
    cfg->ram_size = 128ull << 20;
    cfg->virtualization = false;
    cfg->vhe = true;
    cfg->nv = true;
    cfg->cpu_hz = 1000000000ull;
    cfg->cntfrq_hz = 62500000ull;
    cfg->quantum = 1000;
    cfg->gic_version = 3;
}

a83_err a83_config_set_feature(a83_config *cfg, const char *name, bool on)
{
    if (!cfg || !name)
        return A83_ERR_ARG;
    int f = feature_by_name(name);
    if (f < 0)
        return A83_ERR_UNSUPPORTED;
    if (on) {
        cfg->features_on |= FEATBIT(f);
        cfg->features_off &= ~FEATBIT(f);
    } else {
        cfg->features_off |= FEATBIT(f);
        cfg->features_on &= ~FEATBIT(f);
    }
    return A83_OK;
}

a83_err a83_config_set_cpu(a83_config *cfg, const char *model)
{
    if (!cfg || !model)
        return A83_ERR_ARG;
    if (!strcmp(model, "max")) {
        cfg->features_on |= FEAT_LATER_MASK;
        cfg->features_off &= ~FEAT_LATER_MASK;
    } else if (!strcmp(model, "cortex-a72") || !strcmp(model, "v8.3")) {
        cfg->features_on &= ~FEAT_LATER_MASK;
    } else {
        return A83_ERR_UNSUPPORTED;
    }
    return A83_OK;
}

const char *a83_feature_name(unsigned i)
{
    return feature_switch_name(i);
}

static a83_err check_config(char *msg, size_t len, const a83_config *cfg)
{
    if (cfg->ncpus < 1 || cfg->ncpus > A83_MAX_CPUS) {
        snprintf(msg, len, "number of CPUs %u out of range 1..%d", cfg->ncpus, A83_MAX_CPUS);
        return A83_ERR_CONFIG;
    }
    if (cfg->ram_size < (2ull << 20) || cfg->ram_size % (2ull << 20) ||
        cfg->ram_size > (255ull << 30)) {
        snprintf(msg, len, "RAM size %llu is not a multiple of 2 MiB between 2 MiB and 255 GiB",
                          (unsigned long long)cfg->ram_size);
        return A83_ERR_CONFIG;
    }
    if (!cfg->cpu_hz || !cfg->cntfrq_hz || cfg->cntfrq_hz > cfg->cpu_hz) {
        snprintf(msg, len, "CPU clock and counter frequency must be non-zero, counter <= CPU");
        return A83_ERR_CONFIG;
    }
    if (!cfg->quantum) {
        snprintf(msg, len, "the scheduling quantum must be at least 1 cycle");
        return A83_ERR_CONFIG;
    }
    if (cfg->gic_version != 3) {
        snprintf(msg, len, "only GIC version 3 is implemented (asked for %u)", cfg->gic_version);
        return A83_ERR_CONFIG;
    }
    return A83_OK;
}

static a83_err memblock_init(MemBlock *b, uint64_t base, uint64_t size, bool ro)
{
    b->base = base;
    b->size = size;
    b->readonly = ro;
    /* Anonymous mappings: pages the guest never touches cost no host RSS. */
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED)
        return A83_ERR_NOMEM;
    b->host = p;
#ifdef MADV_HUGEPAGE
    /* Transparent huge pages where the host allows them (a hint: an error
     * changes nothing): one fault per 2 MiB of touched guest RAM instead
     * of 512, as QEMU does for its RAM. */
    madvise(p, size, MADV_HUGEPAGE);
#endif
    b->pflags = calloc(size >> PAGE_BITS, 1);
    b->dpages = calloc(size >> PAGE_BITS, sizeof *b->dpages);
    if (!b->pflags || !b->dpages)
        return A83_ERR_NOMEM;
    if (!ro)
        memset(b->pflags, PF_ZERO, size >> PAGE_BITS);   /* a fresh anonymous mapping */
    return A83_OK;
}

static void memblock_free(MemBlock *b)
{
    if (b->dpages)
        for (uint64_t i = 0; i < b->size >> PAGE_BITS; i++)
            free(b->dpages[i]);
    free(b->dpages);
    free(b->pflags);
    if (b->host)
        munmap(b->host, b->size);
    memset(b, 0, sizeof *b);
}

static uint64_t features_for(const a83_config *cfg)
{
    uint64_t f = FEATBIT(FEAT_FP) | FEATBIT(FEAT_CRC32) | FEATBIT(FEAT_PAN) | FEATBIT(FEAT_LSE) |
                 FEATBIT(FEAT_RDM) | FEATBIT(FEAT_VMID16) | FEATBIT(FEAT_UAO) | FEATBIT(FEAT_DPB) |
                 FEATBIT(FEAT_PAN2) | FEATBIT(FEAT_PAuth) | FEATBIT(FEAT_JSCVT) |
                 FEATBIT(FEAT_FCMA) | FEATBIT(FEAT_LRCPC) | FEATBIT(FEAT_CCIDX) |
                 FEATBIT(FEAT_PMUv3) | FEATBIT(FEAT_AES) | FEATBIT(FEAT_SHA1) | FEATBIT(FEAT_SHA256);
    if (cfg->virtualization) {
        f |= FEATBIT(FEAT_EL2);
        if (cfg->vhe)
            f |= FEATBIT(FEAT_VHE);
        if (cfg->nv)
            f |= FEATBIT(FEAT_NV) | FEATBIT(FEAT_NV2);
    }
    /* The switches (a83_config_set_feature, -cpu MODEL,NAME=on|off) win. */
    f = (f | cfg->features_on) & ~cfg->features_off;
    return features_resolve(f);
}

void cpu_reset(CPUState *c)
{
    Machine *m = c->m;
    memset(c->x, 0, sizeof c->x);
    memset(c->v, 0, sizeof c->v);
    memset(c->sp_el, 0, sizeof c->sp_el);
    c->sp = 0;
    c->pc = 0;
    c->nzcv = 0;
    c->el = (m->feat & FEATBIT(FEAT_EL2)) ? 2 : 1;
    c->spsel = 1;
    c->daif = DAIF_D | DAIF_A | DAIF_I | DAIF_F;
    c->pan = c->uao = c->ss = c->il = 0;
    c->dbg_exec = c->dbg_wp = false;     /* OSLK is set at reset (cpu/debug.h) */
    c->ss_stepped = c->ss_ex = c->ss_eret = 0;
    c->fpcr = c->fpsr = 0;
    c->excl_valid = false;
    c->halted = false;
    c->event_reg = false;
    c->wait_ev_stale = false;
    c->irq_lines = 0;
    c->exit_req = 0;
    c->cycle_limit = UINT64_MAX;
    sysreg_reset_cpu(c);
    mmu_tlb_sets_init(c);
    c->tlb_used = ~0u;   /* the arrays' contents are unknown: flush them all */
    cpu_tlb_flush_all(c);
    mmu_tlb_model_reset(c);   /* the TLB model starts empty too */
    cpu_update_mmu_context(c);
}

a83_err a83_config_validate(const a83_config *cfg, char *msg, size_t len)
{
    char dummy[8];
    if (!cfg)
        return A83_ERR_ARG;
    if (!msg || !len) {
        msg = dummy;
        len = sizeof dummy;
    }
    msg[0] = 0;
    return check_config(msg, len, cfg);
}

a83_err a83_machine_create(const a83_config *cfg, a83_machine **out)
{
    if (!cfg || !out)
        return A83_ERR_ARG;
    *out = NULL;
    Machine *m = calloc(1, sizeof *m);
    if (!m)
        return A83_ERR_NOMEM;
    a83_err err = check_config(m->errbuf, sizeof m->errbuf, cfg);
    if (err) {
        free(m);
        return err;
    }
    m->cfg = *cfg;
    m->feat = features_for(cfg);
    timing_default(&m->timing);
    m->dec = decoder_create();
    if (!m->dec) {
        err = A83_ERR_NOMEM;
        goto fail;
    }
    if ((err = memblock_init(&m->ram, VIRT_RAM_BASE, cfg->ram_size, false)) ||
        (err = memblock_init(&m->flash, VIRT_FLASH_BASE, VIRT_FLASH_SIZE, true)))
        goto fail;
    if ((err = sysreg_init(m)))
        goto fail;
    m->ncpus = cfg->ncpus;
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *c = aligned_alloc(64, (sizeof(CPUState) + 63) & ~(size_t)63);
        if (!c) {
            err = A83_ERR_NOMEM;
            goto fail;
        }
        memset(c, 0, sizeof *c);
        m->cpu[i] = c;
        c->m = m;
        c->index = i;
        c->feat = m->feat;
        /* virt board: Aff0 = CPU number, one cluster (Aff1 = 0); bit 31 RES1 */
        c->mpidr = (1ull << 31) | i;
        /* MIDR_EL1 as QEMU's -cpu max: implementer 0 ("reserved for software
         * use"), architecture 0xF, part 0x051. Not a real core's MIDR, so the
         * guest applies no core-specific errata workarounds: a Cortex-A72
         * MIDR with VHE advertised trips Linux KVM's Spectre-v3a hyp-vector
         * patching (kernel BUG in arch/arm64/kvm/mmu.c). */
        c->midr = 0x000F0510;
        c->powered = (i == 0);
    }
    if ((err = modules_init(m)))
        goto fail;
    for (unsigned i = 0; i < m->ncpus; i++)
        cpu_reset(m->cpu[i]);
    *out = m;
    return A83_OK;
fail:
    a83_machine_destroy(m);
    return err;
}

void a83_machine_destroy(a83_machine *m)
{
    if (!m)
        return;
    modules_destroy(m);
    hooks_destroy(m);
    jit_destroy(m->jit);
    for (unsigned i = 0; i < A83_MAX_CPUS; i++)
        free(m->cpu[i]);
    sysreg_destroy(m);
    memblock_free(&m->ram);
    memblock_free(&m->flash);
    decoder_destroy(m->dec);
    free(m);
}

a83_err machine_add_mmio(Machine *m, const MMIORegion *r)
{
    if (m->nmmio == MAX_MMIO)
        return A83_ERR_NOMEM;
    for (unsigned i = 0; i < m->nmmio; i++) {
        const MMIORegion *o = &m->mmio[i];
        if (r->base < o->base + o->size && o->base < r->base + r->size)
            return A83_ERR_OVERLAP;
    }
    if (machine_find_mem(m, r->base, 1) || machine_find_mem(m, r->base + r->size - 1, 1))
        return A83_ERR_OVERLAP;
    /* keep sorted by base */
    unsigned k = m->nmmio;
    while (k > 0 && m->mmio[k - 1].base > r->base) {
        m->mmio[k] = m->mmio[k - 1];
        k--;
    }
    m->mmio[k] = *r;
    m->nmmio++;
    return A83_OK;
}

const MMIORegion *machine_find_mmio(const Machine *m, uint64_t pa)
{
    unsigned lo = 0, hi = m->nmmio;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const MMIORegion *r = &m->mmio[mid];
        if (pa < r->base)
            hi = mid;
        else if (pa - r->base >= r->size)
            lo = mid + 1;
        else
            return r;
    }
    return NULL;
}

void machine_update_slow_path(Machine *m)
{
    bool on = m->tarmac_on || m->cache_on || m->hooks_observe;
    if (on && !m->slow_path)
        for (unsigned i = 0; i < m->ncpus; i++) {
            cpu_tlb_flush_all(m->cpu[i]);   /* drop the fast paths */
            /* and leave translated code at the next block end (a hook may
             * turn this on inside an MSR: exec_exit_plain()) */
            m->cpu[i]->exit_req |= EXIT_CHECK;
        }
    m->slow_path = on;
}

void machine_request_stop(Machine *m, a83_stop_reason why, int status)
{
    if (m->stop_reason == A83_STOP_NONE) {
        m->stop_reason = why;
        m->exit_status = status;
    }
    for (unsigned i = 0; i < m->ncpus; i++)
        m->cpu[i]->exit_req |= EXIT_SCHED;
}

void a83_request_stop(a83_machine *m)
{
    /* Any thread, or a signal handler: lock-free atomics only. The flag is
     * stored before the CPUs' exit requests; a CPU clears exit_req bits
     * atomically (exec.c) and the scheduler re-reads stop_req after
     * clearing, so the request cannot be lost (docs/embedding.md). */
    if (!m)
        return;
    __atomic_store_n(&m->stop_req, true, __ATOMIC_SEQ_CST);
    for (unsigned i = 0; i < m->ncpus; i++)
        __atomic_fetch_or(&m->cpu[i]->exit_req, EXIT_SCHED, __ATOMIC_SEQ_CST);
}

int a83_exit_status(const a83_machine *m) { return m ? m->exit_status : 0; }

void a83_set_max_cycles(a83_machine *m, uint64_t max_cycles)
{
    if (m)
        m->max_cycles = max_cycles;
}

a83_err a83_cpu_counters(const a83_machine *m, unsigned cpu, uint64_t *insns, uint64_t *cycles)
{
    if (!m || cpu >= m->ncpus)
        return A83_ERR_ARG;
    if (insns)
        *insns = cpu_insns(m->cpu[cpu]);
    if (cycles)
        *cycles = m->cpu[cpu]->cycles;
    return A83_OK;
}

/*
 * The scheduler (Arm ARM-independent; docs/timers.md "Simulated time").
 *
 * Rounds are measured in cycles. A round ends at cycle `end` = m->now +
 * quantum (m->now: the largest cycle count of any CPU), cut short at the
 * next timer, event-stream or device deadline of any CPU and at the
 * a83_set_max_cycles() limit. In each round the CPUs run in index order,
 * each until its own cycle counter reaches `end` (a CPU already past it
 * sits the round out), it halts, or the run stops. So at the end of a round
 * every running CPU's clock is in [end, end + the overrun of its last
 * chunk), and two CPUs' clocks never differ by more than one round plus
 * that overrun, whatever their instructions cost.
 *
 * The execute loop stops at the first block end (taken branch, page end,
 * exception) at or after `end` (CPUState.cycle_limit), so a CPU overruns
 * the round by at most one block; its instruction budget only enforces
 * --max-insns, which stays exact.
 *
 * After each round device time is advanced (timers, GIC). A halted CPU
 * (WFI/WFE) is kept in step with m->now. It wakes when an interrupt is
 * pending (cpu_wfi_wakeup_pending) or, for a WFE, when its event register
 * became set after it halted (SEV, event stream). When every powered CPU
 * is halted, time jumps to the next timer deadline instead of spinning.
 * Only simulated cycles are consulted, so the interleaving and every
 * output depend on nothing but the inputs and the configuration.
 */
static bool halted_wakes(const CPUState *c)
{
    return cpu_wfi_wakeup_pending(c) || (c->event_reg && !c->wait_ev_stale);
}

bool machine_cpu_wakes(const CPUState *c) { return halted_wakes(c); }

static void catch_up(Machine *m)
{
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *c = m->cpu[i];
        if (c->powered && c->halted && c->cycles < m->now)
            c->cycles = m->now;
    }
}

/* The cycle at which the next round ends (see above). */
static uint64_t round_end(const Machine *m, uint64_t deadline)
{
    /* the earliest clock of a CPU that will run: a deadline at or before it
     * concerns nobody who runs (it cannot happen: each deadline lies after
     * its own CPU's clock, and halted CPUs are at m->now) */
    uint64_t lo = UINT64_MAX;
    for (unsigned i = 0; i < m->ncpus; i++) {
        const CPUState *c = m->cpu[i];
        if (c->powered && (!c->halted || halted_wakes(c))) {
            uint64_t t = c->halted && c->cycles < m->now ? m->now : c->cycles;
            if (t < lo)
                lo = t;
        }
    }
    uint64_t end = m->now + m->cfg.quantum;
    if (end < m->now)
        end = UINT64_MAX;
    if (deadline > lo && deadline < end)
        end = deadline;
    if (m->max_cycles && m->max_cycles > lo && m->max_cycles < end)
        end = m->max_cycles;
    return end;
}

/* Runs CPU c until its clock reaches `end`, it halts or powers off, the run
 * stops, or the instruction limit is met. Returns instructions retired.
 * The execute loop returns at the first block end at or after `end`
 * (CPUState.cycle_limit), and the budget of a chunk is the cycles left
 * (every instruction costs at least one cycle, so the budget rarely ends a
 * chunk before `end`; with zero-cost classes in a profile it takes several
 * chunks), capped by --max-insns, which therefore stays exact.
 *
 * A chunk cut short by the instruction limit or a stop request leaves in
 * m->round_chunk_left the budget it had left and in m->round_in_block
 * whether it stopped inside a block; with `resume` (a83_run() resuming the
 * open round at this CPU) that chunk goes on first, with that budget and
 * from inside its block, so the CPU's turn ends where the chunk that never
 * stopped would have ended it: at the first block end at or past `end` (if
 * the cut fell after the instruction that took the clock past `end` but
 * before the block's end, that is after the cut), or where its budget runs
 * out (docs/snapshots.md "Split runs"). */
static uint64_t run_cpu_until(Machine *m, CPUState *c, uint64_t *endp, uint64_t insn_left, bool resume)
{
    uint64_t end = *endp;
    /* round_next() keeps the instruction limit: the CPU's count it stops at */
    m->skip_insn_cap = insn_left ? cpu_insns(c) + insn_left : UINT64_MAX;
    uint64_t done = 0;
    uint64_t left = resume ? m->round_chunk_left : 0;   /* budget of the cut chunk */
    bool in_block = left && m->round_in_block;
    m->round_chunk_left = left;
    m->round_in_block = in_block;
    while ((c->cycles < end || in_block) && c->powered && !c->halted && !m->stop_reason && !m->stop_req) {
        uint64_t q = left;
        if (!q) {
            q = end - c->cycles;
            if (m->max_cycles && end == m->max_cycles)
                q = INT32_MAX;   /* the cycle limit: only a block end ends the
                                    chunk, so the stop point is the first block
                                    end at or past it (docs/embedding.md "Time") */
            if (q > INT32_MAX)
                q = INT32_MAX;
        }
        uint64_t whole = q;     /* the chunk's budget in the run that never stops */
        if (insn_left) {
            if (done >= insn_left)
                break;
            if (q > insn_left - done)
                q = insn_left - done;
        }
        cpu_set_budget(c, (int64_t)q);
        c->cycle_limit = end;
        c->in_block = in_block;
        /* cleared only when set (as round_next() does): the full barrier
         * of the store was a sixth of this function's time. A request
         * whose exit_req is not visible yet is not lost either way: it
         * sets stop_req first, and its exit_req stops the chunk. */
        if (__atomic_load_n(&c->exit_req, __ATOMIC_RELAXED))
            __atomic_store_n(&c->exit_req, 0, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&m->stop_req, __ATOMIC_SEQ_CST))
            break;   /* a83_request_stop() from another thread: not lost */
        uint64_t c0 = c->cycles;
        uint64_t skips = m->round_skips;
        uint64_t n = cpu_exec(c);
        done += n;
        if (m->round_skips != skips) {
            /* cpu_exec() went on into later rounds (round_next()): this
             * chunk is the last one's */
            end = *endp = m->skip_end;
            whole = m->skip_whole;
            n = c->insns - m->skip_insns0;
        }
        /* what a cut here leaves to the next call (a83_run() keeps it only
         * when it leaves the round open); a chunk that ended at a block end
         * at or past `end` leaves a budget that the next call does not use */
        m->round_chunk_left = whole - n;
        m->round_in_block = c->in_block && whole > n;
        left = 0;        /* within this call a new chunk starts afresh */
        in_block = false;
        c->in_block = false;
        if (!n && !c->halted && c->cycles == c0)
            break;   /* no progress (cannot happen: a chunk retires >= 1) */
    }
    c->cycle_limit = UINT64_MAX;
    if (c->halted)
        c->wait_ev_stale = c->event_reg;
    return done;
}

a83_err a83_debug_round_skip(a83_machine *m, bool on)
{
    if (!m)
        return A83_ERR_ARG;
    m->no_round_skip = !on;
    return A83_OK;
}

/*
 * Rounds that change nothing (docs/performance.md). With one CPU running
 * (the others off, or halted and not about to wake), the end of a round
 * often changes nothing but the clocks: no timer, event-stream or device
 * deadline passed (the round started before modules_next_event() and ends
 * before it), and nothing the end reads was touched (m->sched_dirty: timer
 * and GIC registers, MMIO, interrupt lines, event registers, PSCI). Then
 * a83_run() would only set m->now, catch the halted CPUs up, move the
 * event streams' evaluation point, find the same deadline and start the
 * next round of the same CPU with the budget and cycle_limit below. That
 * is all round_next() does, from inside cpu_exec() at the block end where
 * the round ends, so the CPU does not leave its translated code for the
 * scheduler ~ once per 1,000 cycles. The stop points, m->now and every
 * device's view of time are those of the rounds it stands for.
 */
/* What both ways of skipping a round's end need: not turned off
 * (a83_debug_round_skip()), no embedder hooks, no stop requested, and the
 * modules' consent. */
static bool round_skip_permitted(const Machine *m)
{
    return !m->no_round_skip && !m->hook_mask && !m->stop_req &&
           modules_round_skippable((Machine *)m);
}

static bool round_skip_allowed(const Machine *m, const CPUState *run, uint64_t end)
{
    if (end == m->max_cycles)
        return false;
    for (unsigned i = 0; i < m->ncpus; i++) {
        const CPUState *c = m->cpu[i];
        if (c != run && c->powered && (!c->halted || halted_wakes(c)))
            return false;
    }
    return round_skip_permitted(m);
}

/* The same for a round in which several CPUs ran (a83_run()): its end
 * changes nothing but the clocks when no CPU's clock reached the round's
 * deadline (m->skip_deadline: every CPU's clock is at most m->now now),
 * nothing the end reads was touched (m->sched_dirty) and skipping is
 * permitted (round_skip_permitted(), as for one CPU). Then a83_run() only
 * moves the event streams' evaluation point (modules_skip_round()) and the
 * next round keeps the deadline instead of asking the modules again. Not when
 * the run stops after this round (a stop, the instruction or cycle limit):
 * what a83_run() leaves is then exactly what it always left. */
static bool round_quiet(const Machine *m, bool insn_limit)
{
    return !m->sched_dirty && m->now < m->skip_deadline && !m->stop_reason && !insn_limit &&
           !(m->max_cycles && m->now >= m->max_cycles) && round_skip_permitted(m);
}

static bool round_next(CPUState *run)
{
    Machine *m = run->m;
    if (m->sched_dirty || m->stop_req || m->stop_reason || run->halted || !run->powered ||
        run->cycles >= m->skip_deadline)
        return false;
    /* a83_run() after the round: the clock, the limit, the next round's end */
    uint64_t now = run->cycles > m->now ? run->cycles : m->now;
    uint64_t end = now + m->cfg.quantum;
    if (end < now || (m->max_cycles && m->max_cycles <= end))
        return false;   /* the cycle limit ends the run there: a83_run() decides */
    if (m->skip_deadline < end)
        end = m->skip_deadline;   /* > run->cycles, the earliest clock that runs */
    uint64_t left = m->skip_insn_cap - cpu_insns(run);   /* to the instruction limit */
    if (!left)
        return false;   /* the limit ends the run at this round's end */
    m->now = now;
    catch_up(m);
    modules_skip_round(m);
    uint64_t q = end - run->cycles;   /* run_cpu_until()'s chunk */
    if (q > INT32_MAX)
        q = INT32_MAX;
    cpu_set_budget(run, (int64_t)(q < left ? q : left));
    run->cycle_limit = end;
    if (__atomic_load_n(&run->exit_req, __ATOMIC_RELAXED))
        __atomic_store_n(&run->exit_req, 0, __ATOMIC_SEQ_CST);   /* as run_cpu_until() */
    m->round_skips++;
    m->skip_end = end;
    m->skip_whole = q;
    m->skip_insns0 = run->insns;
    return true;
}

a83_err a83_run(a83_machine *m, uint64_t max_insns, a83_stop_reason *why)
{
    if (!m)
        return A83_ERR_ARG;
    m->stop_reason = A83_STOP_NONE;
    m->stop_req = false;
    if (m->max_cycles && m->now >= m->max_cycles && !m->round_open) {
        /* the limit is already reached: nothing runs (arm83emu.h). An open
         * round is finished first: a split run's CPU may have passed the
         * limit inside a block, and the round's later CPUs are due. */
        m->stop_reason = A83_STOP_LIMIT;
        if (why)
            *why = m->stop_reason;
        return A83_OK;
    }
    uint64_t total = 0;
    bool quiet = false;   /* the last round's end changed nothing but the clocks */
    for (;;) {
        bool ran = false;
        uint64_t end;
        unsigned first = 0;
        bool resume = m->round_open;
        if (resume) {
            /* the round a previous call left unfinished: CPU round_cpu
             * goes on from where it stopped (no new round, no device time) */
            m->round_open = false;
            ran = m->round_ran;
            end = m->round_end;
            first = m->round_cpu;
        } else {
            if (!quiet) {   /* else the same next event */
                m->skip_deadline = modules_next_event(m);
                m->sched_dirty = false;
            }
            end = round_end(m, m->skip_deadline);
        }
        quiet = false;
        bool cut = false;   /* left inside the round */
        for (unsigned i = first; i < m->ncpus && !m->stop_reason; i++) {
            CPUState *c = m->cpu[i];
            if (resume && i == first) {
                resume = false;
                if (c->powered) {
                    total += run_cpu_until(m, c, &end, max_insns ? max_insns - total : 0, true);
                    if (c->cycles > m->now)
                        m->now = c->cycles;
                }
            } else {
                if (!c->powered)
                    continue;
                if (c->halted) {
                    if (c->cycles < m->now)
                        c->cycles = m->now;
                    if (!halted_wakes(c))
                        continue;
                    c->halted = false;
                }
                ran = true;
                if (round_skip_allowed(m, c, end))
                    c->round_next = round_next;
                total += run_cpu_until(m, c, &end, max_insns ? max_insns - total : 0, false);
                c->round_next = NULL;
                if (c->cycles > m->now)
                    m->now = c->cycles;
            }
            if (m->stop_req || (max_insns && total >= max_insns)) {
                if (!m->stop_reason) {
                    m->round_open = true;
                    m->round_ran = ran;
                    m->round_cpu = i;
                    m->round_end = end;
                    cut = true;
                }
                break;
            }
        }
        if (!cut) {
            catch_up(m);
            quiet = ran && round_quiet(m, max_insns && total >= max_insns);
            if (quiet) {
                modules_skip_round(m);
                m->round_quiets++;
            } else {
                modules_advance_time(m);
            }
        }
        if (m->stop_reason)
            break;
        if (m->stop_req) {
            m->stop_reason = A83_STOP_REQUEST;
            break;
        }
        if (max_insns && total >= max_insns) {
            m->stop_reason = A83_STOP_LIMIT;
            break;
        }
        if (m->max_cycles && m->now >= m->max_cycles) {
            m->stop_reason = A83_STOP_LIMIT;
            break;
        }
        if (!ran) {
            /* Every powered CPU waits: is any woken by what just happened? */
            bool any_powered = false, any_wakes = false;
            for (unsigned i = 0; i < m->ncpus; i++) {
                CPUState *c = m->cpu[i];
                any_powered |= c->powered;
                any_wakes |= c->powered && halted_wakes(c);
            }
            if (any_wakes)
                continue;
            uint64_t next = modules_next_event(m);
            if (m->hooks) {
                /* the embedder's idle callback may raise an interrupt */
                hooks_idle(m, next);
                if (m->stop_req) {
                    m->stop_reason = A83_STOP_REQUEST;
                    break;
                }
                for (unsigned i = 0; i < m->ncpus; i++)
                    any_wakes |= m->cpu[i]->powered && halted_wakes(m->cpu[i]);
                if (any_wakes)
                    continue;
                next = modules_next_event(m);
            }
            if (!any_powered || next == UINT64_MAX) {
                m->stop_reason = A83_STOP_HALTED;
                break;
            }
            if (m->max_cycles && next > m->max_cycles)
                next = m->max_cycles;
            if (next > m->now)
                m->now = next;
            catch_up(m);
            modules_advance_time(m);
        }
    }
    if (why)
        *why = m->stop_reason;
    return A83_OK;
}

a83_err a83_step(a83_machine *m, unsigned cpu)
{
    if (!m || cpu >= m->ncpus)
        return A83_ERR_ARG;
    CPUState *c = m->cpu[cpu];
    if (!c->powered)
        return A83_ERR_STATE;
    c->halted = false;
    m->round_open = false;   /* a step is outside the scheduler's rounds */
    __atomic_store_n(&c->exit_req, 0, __ATOMIC_SEQ_CST);
    /* A deliverable interrupt is taken by itself: the step stops at the
     * first instruction of the vector without executing it (arm83emu.h). */
    if (!(c->irq_lines && cpu_check_interrupts(c)))
        cpu_step(c);
    if (c->cycles > m->now)
        m->now = c->cycles;
    modules_advance_time(m);
    return A83_OK;
}
