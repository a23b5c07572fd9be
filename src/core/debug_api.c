/*
 * Debugger accessors (arm83emu/debug.h): CPU count and state, and memory by
 * virtual address of a CPU's current translation regime, without any
 * effect the guest could see (no TLB fill, no fault, no cycles).
 */
#include "arm83emu/debug.h"

#include "core/machine.h"
#include "mmu/mem.h"
#include "mmu/mmu.h"

unsigned a83_cpu_count(const a83_machine *m) { return m ? m->ncpus : 0; }

a83_err a83_cpu_state(const a83_machine *m, unsigned cpu, bool *powered, bool *waiting)
{
    if (!m || cpu >= m->ncpus)
        return A83_ERR_ARG;
    if (powered)
        *powered = m->cpu[cpu]->powered;
    if (waiting)
        *waiting = m->cpu[cpu]->halted;
    return A83_OK;
}

a83_err a83_va_to_pa(a83_machine *m, unsigned cpu, uint64_t va, uint64_t *pa)
{
    if (!m || cpu >= m->ncpus || !pa)
        return A83_ERR_ARG;
    CPUState *c = m->cpu[cpu];
    /* The walk charges its descriptor fetches to the CPU (translate.c):
     * a debugger's walk must not, so the counters are put back. */
    uint64_t cycles = c->cycles, fetches = c->walk_fetches;
    AddressDescriptor ad;
    FaultRecord fr;
    /* The privileged view of the current regime: a debugger stopped at EL0
     * or with PSTATE.PAN = 1 still reads kernel and user pages (a
     * privileged read is always permitted by stage 1, Arm ARM D8.4). */
    unsigned idx = mmu_current_idx(c);
    if (idx == MMUIDX_E10_0 || idx == MMUIDX_E10_1_PAN)
        idx = MMUIDX_E10_1;
    else if (idx == MMUIDX_E20_0 || idx == MMUIDX_E20_2_PAN)
        idx = MMUIDX_E20_2;
    bool ok = AArch64_TranslateAddress(c, va, idx, ACC_READ, 1, 0, &ad, &fr);
    c->cycles = cycles;
    c->walk_fetches = fetches;
    if (!ok)
        return A83_ERR_UNMAPPED;
    *pa = ad.pa;
    return A83_OK;
}

static a83_err va_access(a83_machine *m, unsigned cpu, uint64_t va, uint8_t *buf, size_t len,
                         size_t *done, bool write)
{
    if (done)
        *done = 0;
    if (!m || cpu >= m->ncpus || (!buf && len))
        return A83_ERR_ARG;
    size_t n = 0;
    while (n < len) {
        uint64_t a = va + n, pa;
        size_t chunk = PAGE_SIZE - (size_t)(a & (PAGE_SIZE - 1));
        if (chunk > len - n)
            chunk = len - n;
        a83_err err = a83_va_to_pa(m, cpu, a, &pa);
        if (!err)
            err = write ? a83_phys_write(m, pa, buf + n, chunk) : a83_phys_read(m, pa, buf + n, chunk);
        if (err)
            return err == A83_ERR_ARG ? err : A83_ERR_UNMAPPED;
        n += chunk;
        if (done)
            *done = n;
    }
    return A83_OK;
}

a83_err a83_va_read(a83_machine *m, unsigned cpu, uint64_t va, void *buf, size_t len, size_t *done)
{
    return va_access(m, cpu, va, buf, len, done, false);
}

a83_err a83_va_write(a83_machine *m, unsigned cpu, uint64_t va, const void *buf, size_t len,
                     size_t *done)
{
    return va_access(m, cpu, va, (uint8_t *)(uintptr_t)buf, len, done, true);
}
